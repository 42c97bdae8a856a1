import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Every dossier page and API answer asks which pickup tickets named the dossier: without an
// index that is a scan of every ticket the installation ever issued. Partial: most tickets
// name no dossier.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('tickets_dossier')
    .on('tickets')
    .column('dossier_id')
    .where(sql.ref('dossier_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_dossier').execute();
}
