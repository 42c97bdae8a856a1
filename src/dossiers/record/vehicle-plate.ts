import { E_BIKE_SERIES, PLATE_PROVINCES } from '../../locale/provinces.js';

/**
 * Licence plates as people write them (docs/DOMAIN.md §5): `90B1-123.45`, `90-B1 123.45`,
 * `90B1 - 12345`, `29A-123.45`, `30E12345`, `29-MĐ1 013.53`. Pure.
 *
 * One canonical form is stored and searched: upper case, no spaces, dots or dashes, Đ as D
 * (`90B112345`). However a plate is typed, it reduces to the same string; the split into
 * province, series and number only matters for checking and for display.
 */
export type VehicleKind = 'car' | 'motorbike' | 'e_bike';

const PROVINCE_OF_CODE = new Map<string, string>(
  Object.entries(PLATE_PROVINCES).flatMap(([province, codes]) =>
    codes.map((c) => [c, province] as [string, string]),
  ),
);

// Series letters never use I, J, O, Q, W.
const L = '[A-HK-NPR-VXYZ]';
const SERIES: Record<VehicleKind, RegExp> = {
  // Cars: one series letter (a second for some special series), then 4 (old) or 5 digits.
  car: new RegExp(`^(\\d{2})(${L}${L}?)(\\d{4,5})$`),
  // Motorbikes: two letters (since 15/8/2023) or a letter and a digit (older), then 4 or 5 digits.
  motorbike: new RegExp(`^(\\d{2})(${L}${L}|${L}\\d)(\\d{4,5})$`),
  // Electric motorbikes: MĐ and a digit, then five digits.
  e_bike: /^(\d{2})(MD\d)(\d{5})$/,
};

export interface Plate {
  kind: VehicleKind;
  /** Stored and searched: `90B112345`. */
  canonical: string;
  provinceCode: string;
  /** The province (of the 34) that holds the code. */
  province: string;
  series: string;
  number: string;
}

/** The canonical form of whatever was typed (no check): the search key. */
export function canonicalPlate(text: string): string {
  return text
    .normalize('NFC')
    .toUpperCase()
    .replace(/Đ/g, 'D')
    .replace(/[\s.\-–—_/]/g, '');
}

/**
 * Where the typed text puts the number apart from the province and series ("29A-123.45" →
 * "29A"), or null when it was typed in one run ("29A12345"), which either kind may read.
 */
function typedHead(text: string): string | null {
  const typed = text.normalize('NFC').toUpperCase().replace(/Đ/g, 'D').trim();
  const m = /^(.*?)[\s.\-–—_/]+(\d{3}[.\s]\d{2}|\d{4,5})$/.exec(typed);
  return m ? canonicalPlate(m[1]!) : null;
}

/**
 * A plate of this kind with a province code in use since 2025, or null. Where the text sets the
 * number apart, the series is what was typed before it: "29A-123.45" is a car's plate and is
 * refused for a motorbike, never re-read as 29-A1 2345.
 */
export function parsePlate(text: string, kind: VehicleKind): Plate | null {
  const canonical = canonicalPlate(text);
  const m = SERIES[kind].exec(canonical);
  if (!m) return null;
  const head = typedHead(text);
  if (head !== null && head !== `${m[1]}${m[2]}`) return null;
  const province = PROVINCE_OF_CODE.get(m[1]!);
  if (!province) return null;
  return { kind, canonical, provinceCode: m[1]!, province, series: m[2]!, number: m[3]! };
}

/** The kinds whose plate the text can be (for saying which kind a refused plate belongs to). */
export function plateKindsOf(text: string): VehicleKind[] {
  return (['car', 'motorbike', 'e_bike'] as const).filter((k) => parsePlate(text, k) !== null);
}

/**
 * The plate of any kind that `text` can be, or null (a search, where the kind is unknown; the
 * canonical form is the same whatever the kind). A one-letter series is a car's, a letter and a
 * digit or two letters a motorbike's (two-letter car series are rare), MĐ an e-bike's.
 */
export function parseAnyPlate(text: string): Plate | null {
  const car = parsePlate(text, 'car');
  if (car && car.series.length === 1) return car;
  return parsePlate(text, 'e_bike') ?? parsePlate(text, 'motorbike') ?? car;
}

/** `123.45` for five digits, `1234` for the old four. */
function formatNumber(number: string): string {
  return number.length === 5 ? `${number.slice(0, 3)}.${number.slice(3)}` : number;
}

/** As the plate shows it: cars `90A-123.45`, motorbikes `90-B1 123.45`, e-bikes `29-MĐ1 013.53`. */
export function formatPlate(
  plate: Pick<Plate, 'kind' | 'provinceCode' | 'series' | 'number'>,
): string {
  const number = formatNumber(plate.number);
  if (plate.kind === 'car') return `${plate.provinceCode}${plate.series}-${number}`;
  const series =
    plate.kind === 'e_bike' ? plate.series.replace(/^MD/, E_BIKE_SERIES) : plate.series;
  return `${plate.provinceCode}-${series} ${number}`;
}

/** A stored canonical plate shown formatted (as it was parsed for its kind); anything else as it is. */
export function displayPlate(stored: string | null, kind: VehicleKind | null): string {
  if (!stored) return '';
  const plate = kind ? parsePlate(stored, kind) : parseAnyPlate(stored);
  return plate ? formatPlate(plate) : stored;
}
