import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { QueueHub } from '../../../src/queue/queue-hub.js';
import type { QueueSnapshot } from '../../../src/queue/queue-snapshot.service.js';

/** The hub against a fake journal: what it loads, when, and for whom. */
function fakeJournal() {
  const events: { id: number; officeId: number }[] = [];
  const loads: number[] = [];
  return {
    events,
    loads,
    add(officeId: number) {
      events.push({ id: events.length + 1, officeId });
    },
    sources: {
      load: async (officeId: number): Promise<QueueSnapshot> => {
        loads.push(officeId);
        return {
          officeId,
          at: new Date().toISOString(),
          calls: [
            {
              id: events.length,
              number: `C${events.length}`,
              counter: 'Quầy 1',
              at: '',
              recall: false,
            },
          ],
          groups: [],
        };
      },
      changedAfter: async (afterId: number) => {
        const newer = events.filter((e) => e.id > afterId);
        return {
          officeIds: [...new Set(newer.map((e) => e.officeId))],
          lastId: newer.at(-1)?.id ?? afterId,
        };
      },
      lastId: async () => events.at(-1)?.id ?? 0,
    },
  };
}
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('the queue hub', () => {
  it('builds one snapshot per change for all of an office’s listeners, and none for an office nobody watches', async () => {
    const journal = fakeJournal();
    const hub = new QueueHub(journal.sources, pino({ level: 'silent' }), { intervalMs: 10 });
    const heard: string[][] = Array.from({ length: 100 }, () => []);
    const stops = await Promise.all(
      heard.map((list) =>
        hub.subscribe(
          1,
          (s) => list.push(s.calls[0]!.number),
          () => {},
        ),
      ),
    );
    journal.add(1);
    journal.add(2); // another office: nobody listens
    hub.poke(1);
    await until(() => heard.every((h) => h.length === 1));
    expect(heard.every((h) => h[0] === 'C2')).toBe(true);
    expect(journal.loads).toEqual([1]);
    for (const stop of stops) stop();
    expect(hub.listenerCount).toBe(0);
  });

  it('hears a change made elsewhere at its next poll', async () => {
    const journal = fakeJournal();
    const hub = new QueueHub(journal.sources, pino({ level: 'silent' }), { intervalMs: 10 });
    const heard: string[] = [];
    const closed: number[] = [];
    await hub.subscribe(
      1,
      (s) => heard.push(s.calls[0]!.number),
      () => closed.push(1),
    );
    await hub.subscribe(
      1,
      () => {},
      () => closed.push(2),
    );
    journal.add(1); // another process's commit: no poke here
    await until(() => heard.length > 0);
    expect(heard).toEqual(['C1']);
    hub.closeAll();
    expect(closed).toEqual([1, 2]);
  });

  it('reuses an unwatched office’s snapshot for a second unless the order changed', async () => {
    const journal = fakeJournal();
    const hub = new QueueHub(journal.sources, pino({ level: 'silent' }));
    await hub.snapshot(1);
    await hub.snapshot(1);
    hub.poke(1, false); // a new ticket: the snapshot stands
    await hub.snapshot(1);
    expect(journal.loads).toEqual([1]);
    hub.poke(1); // a call: loaded again
    await hub.snapshot(1);
    expect(journal.loads).toEqual([1, 1]);
  });
});
