import { Migrator, sql, type Kysely } from 'kysely';
import { migrations } from '../../migrations/index.js';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Applies every pending migration; returns the names applied now (empty when up to date). */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `migration ${failed} failed: ${String((error as Error).message ?? error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The name of the newest applied migration, or null on an empty database. */
export async function currentMigration(db: Kysely<any>): Promise<string | null> {
  const row = await sql<{
    name: string;
  }>`select name from kysely_migration order by name desc limit 1`
    .execute(db)
    .then((r) => r.rows[0])
    .catch(() => undefined);
  return row?.name ?? null;
}

export function latestMigrationName(): string {
  return Object.keys(migrations).sort().at(-1)!;
}

/** Whether the database answers at all (the health check). */
export async function pingDatabase(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}
