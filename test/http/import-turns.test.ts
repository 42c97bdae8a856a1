import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

/**
 * One tracking-book parse at a time per installation (issue 29, item 6: four parallel imports of
 * a 20,000-row sheet took 235 s each and slowed every page): a second check waits in line, its
 * page says how many are ahead and asks again; the database lets only one turn run. Both engines.
 */
let t: TestApp;
afterEach(async () => t?.close());

const NOW = '2026-03-20T02:00:00Z';
type Agent = Awaited<ReturnType<typeof loginAs>>;
const check = async (agent: Agent) =>
  agent
    .post('/quan-tri/nhap-so/kiem-tra')
    .field('_csrf', await csrfOf(agent, '/quan-tri/nhap-so'))
    .field('office_id', '1')
    .attach('file', Buffer.from('a,b,c\n1,2,3\n'), 'x.csv');
const someoneRuns = (heartbeat = NOW) =>
  t.ctx.db
    .insertInto('import_turns')
    .values({
      kind: 'cli',
      state: 'running',
      account_id: null,
      office_id: 1,
      file_name: 'lon.xlsx',
      report: null,
      created_at: heartbeat,
      heartbeat_at: heartbeat,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
const turns = () =>
  t.ctx.db.selectFrom('import_turns').select(['id', 'state']).orderBy('id').execute();

describe('the line of tracking-book parses', () => {
  it(
    'a check waits while another parse runs, is told how many are ahead, and runs when its turn comes',
    { timeout: 90_000 },
    async () => {
      t = await createTestApp({ now: NOW });
      const admin = await loginAs(t.app, 'quantri');
      const running = await someoneRuns();
      const waiting = await check(admin);
      expect(waiting.status).toBe(202);
      expect(waiting.text).toContain('data-ahead="1"');
      expect(waiting.text).toContain('Phía trước còn 1 lượt');
      const again = /href="(\/quan-tri\/nhap-so\/luot\/\d+)"/.exec(waiting.text)![1]!;
      expect(waiting.headers.refresh).toBe(`3; url=${again}`);
      expect((await admin.get(again)).status).toBe(202);
      // Another administrator's browser cannot run this turn.
      expect((await (await loginAs(t.app, 'quantri')).get(again)).status).toBe(410);
      await t.ctx.db
        .updateTable('import_turns')
        .set({ state: 'done' })
        .where('id', '=', running.id)
        .execute();
      const ran = await admin.get(again);
      expect(ran.status).toBe(422); // the file's own report: not a tracking book
      expect(ran.text).toContain('Không tìm thấy dòng tiêu đề');
      expect((await turns()).map((x) => x.state)).toEqual(['done', 'done']);
      expect((await admin.get(again)).status).toBe(410); // done once
    },
  );

  it(
    'a parse whose process died (no heartbeat for minutes) leaves the line; a page closed too long loses its turn',
    { timeout: 90_000 },
    async () => {
      t = await createTestApp({ now: NOW });
      const admin = await loginAs(t.app, 'quantri');
      await someoneRuns('2026-03-20T01:55:00Z');
      expect((await check(admin)).status).toBe(422); // ran at once
      expect((await turns()).map((x) => x.state)).toEqual(['failed', 'done']);
      await someoneRuns();
      const waiting = await check(admin);
      expect(waiting.status).toBe(202);
      const again = /href="(\/quan-tri\/nhap-so\/luot\/\d+)"/.exec(waiting.text)![1]!;
      t.clock.set(new Date(Date.parse(NOW) + 31_000));
      const gone = await admin.get(again);
      expect(gone.status).toBe(410);
      expect(gone.text).toContain('Lượt chờ đã hết');
    },
  );

  it('the database refuses a second running parse', async () => {
    t = await createTestApp({ now: NOW });
    await someoneRuns();
    await expect(someoneRuns()).rejects.toThrow();
  });
});
