import { vi } from '../../locale/vi.js';

/** The office's signer columns (migration 19). */
export interface OfficeSigner {
  head_title: string;
  head_name: string;
  deputy_title: string;
  deputy_name: string;
}

/** The head's signature block of a form: its title lines and the name printed under the seal. */
export interface HeadSignature {
  lines: string[];
  name: string;
}

/**
 * Who signs a form the head of the deciding body signs (Mẫu 03, 04, a refusal after receipt):
 * the deputy "KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG" when the office names one, else the head;
 * an office that named no one prints the form's generic title and leaves the name to the pen
 * (never the counter officer's name). Pure.
 */
export function headSignatureOf(office: Partial<OfficeSigner>): HeadSignature {
  const S = vi.counter.signer;
  const headTitle = office.head_title?.trim() ?? '';
  if (office.deputy_name?.trim() && office.deputy_title?.trim() && headTitle)
    return {
      lines: [`${S.onBehalf} ${headTitle}`, office.deputy_title.trim()],
      name: office.deputy_name.trim(),
    };
  if (headTitle) return { lines: [headTitle], name: office.head_name?.trim() ?? '' };
  return { lines: [S.fallback], name: '' };
}
