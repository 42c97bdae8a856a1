import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { configureSqlite, createDb } from '../../src/db/database.js';
import { currentMigration, latestMigrationName, migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../migrations/index.js';
import { seedDatabase } from '../../seeds/index.js';
import { seededCalendarYears } from '../../seeds/calendar.js';
import { PROCEDURES, REPORT_GROUPS } from '../../seeds/procedures.js';

function freshDb() {
  const sqlite = new SQLite(':memory:');
  configureSqlite(sqlite);
  return { sqlite, db: createDb(sqlite) };
}

const schemaOf = (sqlite: SQLite.Database) =>
  sqlite
    .prepare(
      "select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name",
    )
    .all();

describe('migrations', () => {
  it('run once, then a second run changes nothing', async () => {
    const { sqlite, db } = freshDb();
    const first = await migrateToLatest(db);
    expect(first).toEqual(Object.keys(migrations).sort());
    const schema = schemaOf(sqlite);
    expect(await migrateToLatest(db)).toEqual([]);
    expect(schemaOf(sqlite)).toEqual(schema);
    expect(await currentMigration(db)).toBe(latestMigrationName());
    await db.destroy();
  });
});

describe('seeds', () => {
  it('insert the catalog, calendar and demo accounts once; a second run adds nothing', async () => {
    const { sqlite, db } = freshDb();
    await migrateToLatest(db);
    const now = new Date('2026-01-01T00:00:00Z');
    const first = await seedDatabase(db, { now, demoAccounts: true });
    expect(first.inserted.procedures).toBe(PROCEDURES.length);
    expect(first.inserted.calendarDays).toBe(
      seededCalendarYears().reduce((n, y) => n + y.days.length, 0),
    );
    expect(first.createdAccounts.map((a) => a.role).sort()).toEqual([
      'admin',
      'officer',
      'officer',
      'officer',
      'officer',
      'supervisor',
    ]);
    const count = (table: string) =>
      (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const tables = [
      'offices',
      'report_groups',
      'procedures',
      'procedure_documents',
      'calendar_days',
      'accounts',
      'processing_units',
      'unit_members',
      'procedure_step_plans',
    ];
    const before = tables.map(count);
    expect(count('unit_members')).toBe(3);

    const second = await seedDatabase(db, { now, demoAccounts: true });
    expect(second.inserted).toEqual({
      offices: 0,
      procedures: 0,
      documents: 0,
      calendarDays: 0,
      accounts: 0,
    });
    expect(second.createdAccounts).toEqual([]);
    expect(tables.map(count)).toEqual(before);
    expect(count('report_groups')).toBe(REPORT_GROUPS.length);
    await db.destroy();
  });

  it('never creates demo accounts when told not to (production)', async () => {
    const { sqlite, db } = freshDb();
    await migrateToLatest(db);
    await seedDatabase(db, { now: new Date(), demoAccounts: false });
    expect(sqlite.prepare('select count(*) as n from accounts').get()).toEqual({ n: 0 });
    await db.destroy();
  });

  it('covers every report group with at least one procedure and gives every procedure documents', () => {
    // A category under a catalog group (ô tô, mô tô, xe máy điện) is reached through its parent's procedures.
    for (const group of REPORT_GROUPS)
      expect(PROCEDURES.some((p) => p.reportGroup === (group.parentCode ?? group.code))).toBe(true);
    for (const p of PROCEDURES) expect(p.documents.length).toBeGreaterThan(0);
    expect(new Set(PROCEDURES.map((p) => p.code)).size).toBe(PROCEDURES.length);
  });
});
