import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findTrackingBookPageEnds } from '../../src/reports/tracking-book.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The plan of the tracking book's pages (the key that ends each full page), on both engines:
 * what the export reads side by side must be exactly the book's rows `page`, 2 × `page`, …, in
 * receipt order with ties broken by id, and nothing from outside the office, the period or the
 * accepted intakes.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const START = '2026-03-08T17:00:00.000Z';
const END = '2026-03-09T17:00:00.000Z';

async function seed() {
  const offices = await t.ctx.db
    .selectFrom('offices')
    .select('id')
    .orderBy('id')
    .limit(2)
    .execute();
  const procedure = await t.ctx.db
    .selectFrom('procedures')
    .select(['id', 'code', 'name', 'report_group'])
    .where('code', '=', '2.000200')
    .executeTakeFirstOrThrow();
  const officer = await t.ctx.db
    .selectFrom('accounts')
    .select('id')
    .where('username', '=', 'canbo')
    .executeTakeFirstOrThrow();
  const [office, other] = [offices[0]!.id, offices[1]!.id];
  // 23 of the book's rows, three at each instant (ties broken by id), inserted out of order;
  // and rows the book leaves out: another office, before and at the period's end, refused.
  const rows: { at: string; office: number; outcome: 'accepted' | 'refused' }[] = [];
  for (let i = 22; i >= 0; i--)
    rows.push({
      at: new Date(Date.parse('2026-03-09T01:00:00Z') + Math.floor(i / 3) * 60_000).toISOString(),
      office,
      outcome: 'accepted',
    });
  rows.push(
    { at: '2026-03-09T01:00:00.000Z', office: other, outcome: 'accepted' },
    { at: '2026-03-08T16:59:59.999Z', office, outcome: 'accepted' },
    { at: END, office, outcome: 'accepted' },
    { at: '2026-03-09T01:01:00.000Z', office, outcome: 'refused' },
  );
  let n = 0;
  for (const row of rows)
    await t.ctx.db
      .insertInto('dossiers')
      .values({
        code: `SO-${String(n++).padStart(3, '0')}`,
        office_id: row.office,
        procedure_id: procedure.id,
        procedure_code: procedure.code,
        procedure_name: procedure.name,
        report_group: procedure.report_group,
        processing_days: 7,
        intake_outcome: row.outcome,
        status: row.outcome === 'accepted' ? 'received' : 'refused',
        applicant_name: 'Trần Thị Ánh',
        applicant_name_folded: 'tran thi anh',
        address: 'Lý Nhân',
        note: '',
        received_at: row.at,
        received_on: row.at.slice(0, 10),
        received_by: officer.id,
        due_at: '2026-03-18T10:00:00.000Z',
        due_on: '2026-03-18',
        created_at: row.at,
        updated_at: row.at,
      })
      .execute();
  const book = await t.ctx.db
    .selectFrom('dossiers')
    .select(['received_at as at', 'id'])
    .where('office_id', '=', office)
    .where('intake_outcome', '=', 'accepted')
    .where('received_at', '>=', START)
    .where('received_at', '<', END)
    .execute();
  book.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : Number(a.id) - Number(b.id)));
  return { office, book: book.map((r) => ({ at: r.at, id: Number(r.id) })) };
}

describe('findTrackingBookPageEnds', () => {
  it('gives the key of every page-th row of the book, and nothing past its last full page', async () => {
    const { office, book } = await seed();
    expect(book).toHaveLength(23);
    const endsOf = (page: number) => findTrackingBookPageEnds(t.ctx.db, office, START, END, page);
    const every = (page: number) => book.filter((_, i) => (i + 1) % page === 0);
    // Pages ending inside a run of equal instants, a last page that is full, one row a page.
    for (const page of [2, 4, 5, 23, 1]) expect(await endsOf(page)).toEqual(every(page));
    expect(await endsOf(24)).toEqual([]);
    expect((await endsOf(4)).map((e) => book.indexOf(book.find((b) => b.id === e.id)!))).toEqual([
      3, 7, 11, 15, 19,
    ]);
  });

  it('is empty for a period without rows', async () => {
    const { office } = await seed();
    expect(
      await findTrackingBookPageEnds(t.ctx.db, office, END, '2026-03-10T17:00:00.000Z', 2),
    ).toEqual([]);
  });
});
