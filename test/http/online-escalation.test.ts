import { afterEach, describe, expect, it } from 'vitest';
import { createOfficerAt } from '../support/factories.js';
import { createFilesApp, type FilesApp } from '../support/files-helpers.js';
import { deliver, delivery, portalToken } from '../support/online.js';
import { loginAs } from '../support/test-app.js';

let t: FilesApp;
afterEach(() => t?.close());

/** The portal codes of the late online checks listed in a worklist page, in order. */
const lateCodes = (html: string) => {
  const block = /data-online-late[\s\S]*?<\/table>/.exec(html);
  return block
    ? [...block[0].matchAll(/href="\/truc-tuyen\/\d+">([^<]+)<\/a>/g)].map((m) => m[1])
    : [];
};

describe('an online check past its deadline, escalated like a late step', () => {
  it('lists the late checks of the office to its supervisor and counter, most overdue first, until decided', async () => {
    t = await createFilesApp('fs');
    const portal = await portalToken(t);
    // Tuesday 09:00: the check is due Wednesday 09:30 (8 working hours).
    const first = await deliver(t, portal, await delivery(t));
    expect(first.status).toBe(201);
    t.clock.set('2026-03-10T03:00:00Z');
    const second = await deliver(
      t,
      portal,
      await delivery(t, { portal_code: 'G22.99-260310-0002' }),
    );
    expect(second.status).toBe(201);
    await createOfficerAt(t.ctx, '000.12.13.H40', 'lanhdao_xa');
    await t.ctx.db
      .updateTable('accounts')
      .set({ role: 'supervisor' })
      .where('username', '=', 'lanhdao_xa')
      .execute();
    const supervisor = await loginAs(t.app, 'lanhdao');
    const counter = await loginAs(t.app, 'canbo');
    const otherChief = await loginAs(t.app, 'lanhdao_xa');
    const otherProcessor = await loginAs(t.app, 'csgt');

    // Due in the future: not escalated.
    const early = await supervisor.get('/viec-cua-toi?muc=escalated');
    expect(early.status).toBe(200);
    expect(lateCodes(early.text)).toEqual([]);

    // Wednesday 12:00 local: both past their deadline; the older first, with how late it is.
    t.clock.set('2026-03-11T05:00:00Z');
    const late = await supervisor.get('/viec-cua-toi?muc=escalated');
    expect(lateCodes(late.text)).toEqual(['G22.99-260310-0001', 'G22.99-260310-0002']);
    expect(late.text).toContain(`href="/truc-tuyen/${first.body.online_dossier.id}"`);
    expect(late.text).toContain('Nguyễn Văn An');
    expect(late.text).toContain('2 giờ 30 phút');
    expect(late.text).toMatch(/Bước quá hạn \(cần đôn đốc\) \(2\)/);
    // The supervisor lands on it when nothing else waits.
    expect(lateCodes((await supervisor.get('/viec-cua-toi')).text)).toHaveLength(2);
    expect(lateCodes((await counter.get('/viec-cua-toi?muc=escalated')).text)).toHaveLength(2);
    // Another office's supervisor and a processor of another unit do not see it.
    const elsewhere = await otherChief.get('/viec-cua-toi?muc=escalated');
    expect(elsewhere.status).toBe(200);
    expect(lateCodes(elsewhere.text)).toEqual([]);
    expect(elsewhere.text).not.toContain('G22.99-260310-0001');
    const processor = await otherProcessor.get('/viec-cua-toi?muc=escalated');
    expect(processor.status).toBe(200);
    expect(processor.text).not.toContain('G22.99-260310-0001');

    // Accepted: no longer escalated.
    const accepted = await t.api.post(
      `/api/v1/online-dossiers/${first.body.online_dossier.id}/accept`,
      {},
    );
    expect(accepted.status).toBe(200);
    const after = await supervisor.get('/viec-cua-toi?muc=escalated');
    expect(lateCodes(after.text)).toEqual(['G22.99-260310-0002']);
  });
});
