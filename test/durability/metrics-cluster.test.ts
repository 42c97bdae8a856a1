import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/fresh-database.js';
import { spawnServer } from '../support/server-process.js';
import { until } from '../support/wait.js';

/**
 * WEB_CONCURRENCY=2: the workers share one port, so a scrape reaches one of them; it answers for
 * both (the primary gathers their registries), on the engine under test.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const count = (text: string, route: string) =>
  text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('motcua_http_request_duration_seconds_count{') &&
        l.includes(`route="${route}"`),
    )
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);

describe('metrics with WEB_CONCURRENCY=2', () => {
  it('answers every scrape with the requests of both workers, and the build once', async () => {
    const database = await freshDatabase(cleanups, 'motcua-metrics');
    const server = await spawnServer(database, { WEB_CONCURRENCY: '2' }, 2);
    cleanups.push(async () => {
      server.child.kill('SIGTERM');
      await server.exited;
    });
    const answeredBy = new Set<number>();
    // Log lines may arrive split across chunks: only whole lines are read.
    let partial = '';
    server.child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines)
        if (line.includes('"path":"/healthz"')) answeredBy.add(JSON.parse(line).pid as number);
    });
    // A new connection each time: the primary hands them to the workers in turn.
    const get = (path: string) =>
      fetch(`${server.baseUrl}${path}`, { headers: { connection: 'close' } });
    for (let i = 0; i < 20; i++) expect((await get('/healthz')).status).toBe(200);
    // A request is logged and counted when its answer has gone: wait for the last of them.
    await until(() => answeredBy.size === 2, 'both workers logging an answer');
    // Whichever worker answers, it counts all 20 (and the scrapes before it, on another route).
    await until(
      async () => count(await (await get('/metrics')).text(), '/healthz') === 20,
      'the 20 requests counted',
    );
    for (let i = 0; i < 4; i++) {
      const res = await get('/metrics');
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(count(text, '/healthz')).toBe(20);
      expect(text.match(/^motcua_build_info\{/gm)).toHaveLength(1);
    }
  }, 60_000);
});
