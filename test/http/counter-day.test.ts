import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestApp } from '../support/test-app.js';

/** Issue 28, "a working day at the counter": the counter's smaller fixes, each as a user met it. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
});
afterEach(() => t.close());

const procedureLinks = (html: string) =>
  [...html.matchAll(/href="\/ho-so\/moi\?thu-tuc=([^"&]+)/g)].map((m) => decodeURIComponent(m[1]!));

describe('the procedure picker (item 1)', () => {
  it.each(['tam tru', 'dang ky tam tru', 'đăng ký tạm trú'])(
    'lists Đăng ký tạm trú first for "%s"',
    async (q) => {
      const agent = await loginAs(t.app, 'canbo');
      const page = await agent.get(`/ho-so/moi?q=${encodeURIComponent(q)}`);
      expect(procedureLinks(page.text)[0]).toBe('1.004194');
    },
  );

  it('reaches every active procedure of the catalog by its own name typed without diacritics', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const all = await t.ctx.db
      .selectFrom('procedures')
      .select(['code', 'name'])
      .where('active', '=', 1)
      .execute();
    const fold = (s: string) =>
      s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[đĐ]/g, 'd')
        .toLowerCase();
    for (const p of all) {
      const page = await agent.get(`/ho-so/moi?q=${encodeURIComponent(fold(p.name))}`);
      expect(procedureLinks(page.text)[0], p.name).toBe(p.code);
    }
  });
});
