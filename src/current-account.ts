import type { Role } from './db/schema.js';

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
}

/** Who did something, as audit events record it. */
export function actorOf(account: Pick<CurrentAccount, 'id' | 'username'>): {
  id: number;
  username: string;
} {
  return { id: account.id, username: account.username };
}
