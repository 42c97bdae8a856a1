import type { Deps } from '../context.js';
import { qrSvg } from '../lib/qr.js';
import { beneficiaryOf, standingOf, vietQrFor, type DossierFacts } from './standing.js';
import { purposeFor } from './vietqr.js';

/** What `views/payments/_vietqr.ejs` prints: the QR, and the transfer's details beside it. */
export interface VietQrBlock {
  payload: string;
  svg: string;
  amount: number;
  bankBin: string;
  accountNo: string;
  accountName: string;
  illustrative: boolean;
  code: string;
  purpose: string;
}

/**
 * The VietQR of a dossier's fee for a page or a slip, or null when there is nothing to pay by
 * transfer now (nothing due, paid, cancelled) or the office has no beneficiary. Imports nothing
 * from src/dossiers: the receipt slip's route calls it.
 */
export async function vietQrBlockFor(
  ctx: Deps<'db' | 'masterData'>,
  dossier: DossierFacts,
): Promise<VietQrBlock | null> {
  const office = (await ctx.masterData.offices()).find((o) => o.id === dossier.office_id);
  if (!office || !dossier.code) return null;
  const standing = await standingOf(ctx.db, dossier);
  const payload = vietQrFor(office, dossier.code, standing);
  const beneficiary = beneficiaryOf(office);
  if (!payload || !beneficiary || !standing.amountDue) return null;
  return {
    payload,
    svg: await qrSvg(payload),
    amount: standing.amountDue,
    bankBin: beneficiary.bankBin,
    accountNo: beneficiary.accountNo,
    accountName: beneficiary.accountName,
    illustrative: beneficiary.illustrative,
    code: dossier.code,
    purpose: purposeFor(dossier.code) ?? '',
  };
}
