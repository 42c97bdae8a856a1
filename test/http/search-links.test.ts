import { afterEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, csrfOf, loginAs, type TestApp } from '../support/test-app.js';

/**
 * Issue 29, item 6: staff search by ID number put it in the address (`/ho-so?q=035090771234`,
 * `/quan-tri/truy-cap?person=…`), so it landed in browser history and proxy logs. The forms now
 * post, and the result page's address carries only a short-lived token of this browser.
 */
let t: TestApp;
afterEach(async () => t?.close());

const PID = '035090001234';

describe('searches by ID number keep it out of every address', () => {
  it(
    'the dossier search posts; the result link is opaque, this browser’s only, and expires',
    { timeout: 60_000 },
    async () => {
      t = await createTestApp();
      await receiveDossier(t.ctx, await accountNamed(t.ctx, 'canbo'), await validIntake(t.ctx, {}));
      const agent = await loginAs(t.app, 'canbo');
      const board = await agent.get('/ho-so/hom-nay');
      expect(board.text).toContain('action="/ho-so/tim"');
      expect(board.text).not.toMatch(/<form method="get" action="\/ho-so"/);
      const posted = await agent
        .post('/ho-so/tim')
        .type('form')
        .send({ _csrf: await csrfOf(agent, '/ho-so'), q: '0350 9000 1234' });
      expect(posted.status).toBe(303);
      const location = posted.headers.location!;
      expect(location).toMatch(/^\/ho-so\?tim=[\w-]{16}$/);
      expect(location.replace(/\D/g, '')).not.toContain('1234');
      const searched = 'value="0350 9000 1234"';
      const result = await agent.get(location);
      expect(result.status).toBe(200);
      expect(result.text).toContain(searched);
      expect(result.text).toContain('Nguyễn Văn An');
      expect(result.text).not.toContain(`q=${PID}`);
      // Another officer's browser gets nothing from the token.
      const other = await loginAs(t.app, 'xuly');
      expect((await other.get(location)).text).not.toContain(searched);
      // Half an hour later the link is dead.
      t.clock.set(new Date(t.clock.now().getTime() + 31 * 60_000));
      expect((await agent.get(location)).text).not.toContain(searched);
    },
  );

  it('the access log’s person filter posts too', async () => {
    t = await createTestApp();
    const admin = await loginAs(t.app, 'quantri');
    const page = await admin.get('/quan-tri/truy-cap');
    expect(page.text).toContain('<form method="post" action="/quan-tri/truy-cap"');
    const posted = await admin
      .post('/quan-tri/truy-cap')
      .type('form')
      .send({ _csrf: await csrfOf(admin, '/quan-tri/truy-cap'), person: PID });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toMatch(/^\/quan-tri\/truy-cap\?tim=[\w-]{16}$/);
    const shown = await admin.get(posted.headers.location!);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(`value="${PID}"`); // kept in the form, not in the address
  });
});
