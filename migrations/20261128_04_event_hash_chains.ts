import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createAppendOnlyTrigger, dropTrigger } from './dialect.js';

// Frozen in time: never import application code here. The hashing below is the format version 1
// that src/audit/event-hash.ts also implements; a change of format needs a new migration.

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function dossierEventHashV1(e: Record<string, unknown>, prevHash: string): string {
  return sha256(
    JSON.stringify([
      'dossier_event.v1',
      e.id,
      e.dossier_id,
      e.at,
      e.actor_account_id,
      e.actor_name,
      e.action,
      e.from_status,
      e.to_status,
      e.note,
      e.details,
      prevHash,
    ]),
  );
}

export function auditEventHashV1(e: Record<string, unknown>, prevHash: string): string {
  return sha256(
    JSON.stringify([
      'audit_event.v1',
      e.id,
      e.at,
      e.actor_account_id,
      e.actor_username,
      e.action,
      e.subject,
      e.details,
      prevHash,
    ]),
  );
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('dossier_events')
    .addColumn('prev_hash', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('dossier_events')
    .addColumn('hash', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('audit_events')
    .addColumn('prev_hash', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('audit_events')
    .addColumn('hash', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  // Chain the rows that exist already; the append-only triggers are lifted for this one pass.
  await dropTrigger(db, 'dossier_events_no_update', 'dossier_events');
  await dropTrigger(db, 'audit_events_no_update', 'audit_events');
  const lastByDossier = new Map<number, string>();
  for (const e of await db.selectFrom('dossier_events').selectAll().orderBy('id').execute()) {
    const prev = lastByDossier.get(e.dossier_id) ?? '';
    const hash = dossierEventHashV1(e, prev);
    await db
      .updateTable('dossier_events')
      .set({ prev_hash: prev, hash })
      .where('id', '=', e.id)
      .execute();
    lastByDossier.set(e.dossier_id, hash);
  }
  let prev = '';
  for (const e of await db.selectFrom('audit_events').selectAll().orderBy('id').execute()) {
    const hash = auditEventHashV1(e, prev);
    await db
      .updateTable('audit_events')
      .set({ prev_hash: prev, hash })
      .where('id', '=', e.id)
      .execute();
    prev = hash;
  }
  await createAppendOnlyTrigger(db, 'dossier_events_no_update', 'dossier_events', 'update');
  await createAppendOnlyTrigger(db, 'audit_events_no_update', 'audit_events', 'update');
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'dossier_events_no_update', 'dossier_events');
  await dropTrigger(db, 'audit_events_no_update', 'audit_events');
  for (const table of ['dossier_events', 'audit_events']) {
    await db.schema.alterTable(table).dropColumn('hash').execute();
    await db.schema.alterTable(table).dropColumn('prev_hash').execute();
  }
  await createAppendOnlyTrigger(db, 'dossier_events_no_update', 'dossier_events', 'update');
  await createAppendOnlyTrigger(db, 'audit_events_no_update', 'audit_events', 'update');
}
