import type { Role, UnitRole } from './db/schema.js';
import { vi } from './locale/vi.js';

/**
 * The signed-in officer as every feature sees it: who, which role, which office. Part of the
 * shared kernel (like the context): every feature acts for an account, and none owns it.
 */
export interface CurrentAccount {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  officeId: number;
  officeCode: string;
  officeName: string;
  /** Works at the counter (tiếp nhận và trả kết quả); see the dossier policy. */
  counterDuty: boolean;
  /** Its roles in processing units (processor, approver), whatever the unit. */
  unitRoles: UnitRole[];
}

/**
 * What an account does, as its header says it: a supervisor or administrator by role; an officer
 * by its duties (the counter, processing, approving), which the role alone does not tell.
 */
export function dutyLabelOf(account: Pick<CurrentAccount, 'role' | 'counterDuty' | 'unitRoles'>) {
  const L = vi.counter.duties;
  if (account.role !== 'officer') return vi.roles[account.role];
  if (account.unitRoles.includes('approver') && !account.counterDuty) return L.approver;
  const parts = [
    ...(account.counterDuty ? [L.counter] : []),
    ...(account.unitRoles.includes('processor') ? [L.processor] : []),
  ];
  if (parts.length === 2) return L.counterAndProcessor;
  return parts[0] ?? (account.unitRoles.includes('approver') ? L.approver : L.officer);
}

/**
 * Where an account starts: the counter's board, or "Hồ sơ của tôi" for an officer who works only
 * after the counter (a processor or an approver of a unit).
 */
export function landingPageOf(account: Pick<CurrentAccount, 'role' | 'counterDuty' | 'unitRoles'>) {
  return account.role === 'officer' && !account.counterDuty && account.unitRoles.length > 0
    ? '/viec-cua-toi'
    : '/ho-so/hom-nay';
}

/** Who did something, as audit events record it. */
export function actorOf(account: Pick<CurrentAccount, 'id' | 'username'>): {
  id: number;
  username: string;
} {
  return { id: account.id, username: account.username };
}
