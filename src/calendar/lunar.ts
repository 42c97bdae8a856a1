/**
 * The Vietnamese lunar calendar, by the published astronomical algorithm of Hồ Ngọc Đức
 * ("Âm lịch Việt Nam", after Jean Meeus, Astronomical Algorithms): new moons and the sun's
 * longitude computed for the time zone of Hà Nội, UTC+7. The Chinese calendar uses UTC+8 and
 * differs in some years (Tết 2007 fell on 17 February in Vietnam, 18 February in China), so a
 * Chinese lunar library would give wrong holidays. Pure: no I/O, no clock. docs/DOMAIN.md §4.
 */
/** Hours east of UTC: Vietnam's calendar is reckoned at UTC+7 (China's at UTC+8). */
export const VIETNAM_TIME_ZONE = 7;
const { floor, sin, PI } = Math;

/** Julian day number of a Gregorian date (proleptic Julian before 15 October 1582). */
export function julianDay(day: number, month: number, year: number): number {
  const a = floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  let jd =
    day +
    floor((153 * m + 2) / 5) +
    365 * y +
    floor(y / 4) -
    floor(y / 100) +
    floor(y / 400) -
    32045;
  if (jd < 2299161) jd = day + floor((153 * m + 2) / 5) + 365 * y + floor(y / 4) - 32083;
  return jd;
}

/** The Gregorian date `[day, month, year]` of a Julian day number. */
export function fromJulianDay(jd: number): [number, number, number] {
  let b: number;
  let c: number;
  if (jd > 2299160) {
    const a = jd + 32044;
    b = floor((4 * a + 3) / 146097);
    c = a - floor((b * 146097) / 4);
  } else {
    b = 0;
    c = jd + 32082;
  }
  const d = floor((4 * c + 3) / 1461);
  const e = c - floor((1461 * d) / 4);
  const m = floor((5 * e + 2) / 153);
  return [
    e - floor((153 * m + 2) / 5) + 1,
    m + 3 - 12 * floor(m / 10),
    b * 100 + d - 4800 + floor(m / 10),
  ];
}

/** The instant (Julian date, UT) of the k-th new moon after 1 January 1900. */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  let c1 = (0.1734 - 0.000393 * T) * sin(M * dr) + 0.0021 * sin(2 * dr * M);
  c1 = c1 - 0.4068 * sin(Mpr * dr) + 0.0161 * sin(dr * 2 * Mpr);
  c1 -= 0.0004 * sin(dr * 3 * Mpr);
  c1 = c1 + 0.0104 * sin(dr * 2 * F) - 0.0051 * sin(dr * (M + Mpr));
  c1 = c1 - 0.0074 * sin(dr * (M - Mpr)) + 0.0004 * sin(dr * (2 * F + M));
  c1 = c1 - 0.0004 * sin(dr * (2 * F - M)) - 0.0006 * sin(dr * (2 * F + Mpr));
  c1 = c1 + 0.001 * sin(dr * (2 * F - Mpr)) + 0.0005 * sin(dr * (2 * Mpr + M));
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + c1 - deltaT;
}

/** The sun's apparent longitude (radians, 0..2π) at Julian date `jdn` (UT). */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525;
  const T2 = T * T;
  const dr = PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * sin(dr * M);
  DL = DL + (0.019993 - 0.000101 * T) * sin(dr * 2 * M) + 0.00029 * sin(dr * 3 * M);
  let L = (L0 + DL) * dr;
  L -= PI * 2 * floor(L / (PI * 2));
  return L;
}

/** The sun's longitude at the start of local day `dayNumber`, as one of 12 sectors (major terms). */
function sunSector(dayNumber: number, tz: number): number {
  return floor((sunLongitude(dayNumber - 0.5 - tz / 24) / PI) * 6);
}

/** The local day (Julian day number) of the k-th new moon. */
function newMoonDay(k: number, tz: number): number {
  return floor(newMoon(k) + 0.5 + tz / 24);
}

/** The first day of the 11th lunar month (the month of the winter solstice) of year `year`. */
function lunarMonth11(year: number, tz: number): number {
  const off = julianDay(31, 12, year) - 2415021;
  const k = floor(off / 29.530588853);
  const nm = newMoonDay(k, tz);
  return sunSector(nm, tz) >= 9 ? newMoonDay(k - 1, tz) : nm;
}

/** Which month after month 11 is the leap month, in a lunar year of 13 months. */
function leapMonthOffset(a11: number, tz: number): number {
  const k = floor((a11 - 2415021.076998695) / 29.530588853 + 0.5);
  let last: number;
  let i = 1;
  let arc = sunSector(newMoonDay(k + i, tz), tz);
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i, tz), tz);
  } while (arc !== last && i < 14);
  return i - 1;
}

/**
 * The Gregorian date (`YYYY-MM-DD`) of lunar day `day` of lunar month `month` (1–12) of lunar
 * year `year`, the ordinary month (not a leap month of the same number).
 */
export function lunarToSolar(
  day: number,
  month: number,
  year: number,
  tz = VIETNAM_TIME_ZONE,
): string {
  let a11: number;
  let b11: number;
  if (month < 11) {
    a11 = lunarMonth11(year - 1, tz);
    b11 = lunarMonth11(year, tz);
  } else {
    a11 = lunarMonth11(year, tz);
    b11 = lunarMonth11(year + 1, tz);
  }
  const k = floor(0.5 + (a11 - 2415021.076998695) / 29.530588853);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, tz);
    if (off >= leapOff) off += 1;
  }
  const [d, m, y] = fromJulianDay(newMoonDay(k + off, tz) + day - 1);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Tết Nguyên đán (the first day of the first lunar month) of Gregorian year `year`. */
export function lunarNewYear(year: number, tz = VIETNAM_TIME_ZONE): string {
  return lunarToSolar(1, 1, year, tz);
}
