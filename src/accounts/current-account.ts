import { createHash } from 'node:crypto';
import type { Role } from '../db/schema.js';

/** The signed-in officer as every feature sees it: who, which role, which office. */
export interface CurrentAccount {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  officeId: number;
  officeCode: string;
  officeName: string;
}

/** The stored form of an API bearer token (tokens are random, so a plain SHA-256 is enough). */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Who did something, as audit events record it. */
export function actorOf(account: Pick<CurrentAccount, 'id' | 'username'>): {
  id: number;
  username: string;
} {
  return { id: account.id, username: account.username };
}
