import { foldVietnamese } from '../lib/fold.js';

/**
 * Which digitised papers may stand in for a component of a new dossier (tái sử dụng), and until
 * when (docs/DOMAIN.md §11). Pure: names, dates and today are given.
 *
 * A component's kind is read from its document's name (procedures name the same paper alike: a
 * căn cước, a portrait photo, proof of lawful residence); a result's kind from its procedure's
 * report group (a căn cước procedure's result is a card). Requests and declarations made for one
 * dossier (tờ khai, phiếu, đơn, a consent) are never reused. A paper of kind `other` is reused
 * only for a document of the same name.
 */
export type ComponentKind =
  | 'form'
  | 'photo'
  | 'id_card'
  | 'residence_proof'
  | 'civil_status'
  | 'business_registration'
  | 'vehicle_papers'
  | 'criminal_record'
  | 'fire_safety'
  | 'security_certificate'
  | 'other';

/** Checked in order on the folded name; the first that matches decides. */
const KIND_PATTERNS: [ComponentKind, RegExp][] = [
  // ("Giấy khai sinh", "giấy khai tử" are civil-status papers, not declarations.)
  [
    'form',
    /^(to khai|phieu|don |don$|van ban de nghi|de nghi|giay khai(?! sinh| tu)|ban khai|thong tin nguoi)/,
  ],
  ['form', /y kien dong y|van ban dong y/],
  ['photo', /(^|\W)anh(\W|$)/],
  ['id_card', /can cuoc|cccd|chung minh nhan dan|ho chieu/],
  ['residence_proof', /cho o hop phap|hop dong thue|hop dong muon/],
  ['civil_status', /khai sinh|ket hon|ly hon|khai tu|giam ho|nhan cha|nhan me|nhan con/],
  ['business_registration', /dang ky doanh nghiep|ho kinh doanh|dang ky kinh doanh/],
  ['vehicle_papers', /dang ky xe|nguon goc xe|quyen so huu xe|le phi truoc ba/],
  ['criminal_record', /ly lich tu phap/],
  ['fire_safety', /phong chay|chua chay/],
  ['security_certificate', /du dieu kien ve (an ninh|antt)/],
];

export function kindOf(documentName: string): ComponentKind {
  const folded = foldVietnamese(documentName);
  return KIND_PATTERNS.find(([, pattern]) => pattern.test(folded))?.[0] ?? 'other';
}

/** The kind of a procedure's result, by its report group (the catalog's categories). */
export function kindOfResult(reportGroup: string): ComponentKind {
  if (reportGroup === 'can_cuoc') return 'id_card';
  if (reportGroup === 'antt') return 'security_certificate';
  if (['dang_ky_xe', 'o_to', 'mo_to', 'xe_may_dien'].includes(reportGroup)) return 'vehicle_papers';
  return 'other';
}

/**
 * Months a digitised paper of each kind stays reusable after it was digitised, when the officer
 * recorded no expiry of its own (null: it does not expire). A photo must be recent (six months);
 * a card is reused up to its expiry as recorded, else for a year (the card may have been
 * replaced); a lease or a criminal-record extract for six months; civil-status papers and
 * security certificates do not expire.
 */
export const VALID_MONTHS: Record<Exclude<ComponentKind, 'form'>, number | null> = {
  photo: 6,
  id_card: 12,
  residence_proof: 6,
  civil_status: null,
  business_registration: 12,
  vehicle_papers: 12,
  criminal_record: 6,
  fire_safety: 12,
  security_certificate: null,
  other: 12,
};

export interface ReuseSource {
  /** The document's name (a component), or null for a result (its kind is given). */
  name: string | null;
  kind: ComponentKind;
  /** Local date it was digitised. */
  digitisedOn: string;
  /** The paper's own expiry as recorded by the officer (a card's "có giá trị đến"). */
  recordedValidUntil: string | null;
}

/** The last day a source may be reused (null: no end), or 'never'. */
export function reusableUntil(source: ReuseSource): string | null | 'never' {
  if (source.kind === 'form') return 'never';
  if (source.recordedValidUntil) return source.recordedValidUntil;
  const months = VALID_MONTHS[source.kind];
  return months === null ? null : addMonths(source.digitisedOn, months);
}

/** Whether `source` may stand in for a component named `targetName` on `today`. */
export function mayReuse(targetName: string, source: ReuseSource, today: string): boolean {
  const kind = kindOf(targetName);
  if (kind === 'form' || kind !== source.kind) return false;
  if (
    kind === 'other' &&
    (!source.name || foldVietnamese(source.name) !== foldVietnamese(targetName))
  )
    return false;
  const until = reusableUntil(source);
  return until !== 'never' && (until === null || until >= today);
}

/** `YYYY-MM-DD` plus whole months, clamped to the month's last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
