import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveStepNotes } from '../../migrations/20261203_19_counter_day.js';
import { performHandover } from '../../src/dossiers/handover/handover.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
});
afterEach(() => t.close());

describe('migration 19 (a working day at the counter)', () => {
  it('moves each stored handover note to the step it was written on', async () => {
    const canbo = await accountNamed(t.ctx, 'canbo');
    const { code } = await receiveDossier(t.ctx, canbo, await validIntake(t.ctx));
    const unit = await t.ctx.db
      .selectFrom('processing_units')
      .select('id')
      .where('code', '=', 'QLHC')
      .executeTakeFirstOrThrow();
    const version = async () =>
      String(
        (
          await t.ctx.db
            .selectFrom('dossiers')
            .select('version')
            .where('code', '=', code)
            .executeTakeFirstOrThrow()
        ).version,
      );
    const xuly = await accountNamed(t.ctx, 'xuly');
    const pheduyet = await accountNamed(t.ctx, 'pheduyet');
    t.clock.advanceMinutes(30);
    await performHandover(t.ctx, canbo, code!, 'hand_over', {
      version: await version(),
      to_unit: String(unit.id),
      to_account: String(xuly.id),
      note: 'Chuyển đội QLHC.',
    });
    t.clock.advanceMinutes(30);
    await performHandover(t.ctx, xuly, code!, 'hand_over', {
      version: await version(),
      to_step: 'approval',
      note: 'Đề nghị phê duyệt.',
    });
    t.clock.advanceMinutes(30);
    await performHandover(t.ctx, pheduyet, code!, 'return_for_rework', {
      version: await version(),
      reason: 'Ảnh chân dung không đạt, chụp lại.',
    });
    t.clock.advanceMinutes(30);
    await performHandover(t.ctx, xuly, code!, 'hand_over', {
      version: await version(),
      to_step: 'approval',
      note: 'Đã chụp lại, đề nghị phê duyệt.',
    });
    t.clock.advanceMinutes(30);
    await performHandover(t.ctx, pheduyet, code!, 'approve', {
      version: await version(),
      note: 'Đồng ý.',
    });
    // The notes as the code before issue 28 stored them: on the step each handover opened, and a
    // rework's reason on both steps (overwriting the approval step's 'Đề nghị phê duyệt.').
    const old: [number, string][] = [
      [1, ''],
      [2, 'Chuyển đội QLHC.'],
      [3, 'Ảnh chân dung không đạt, chụp lại.'],
      [4, 'Ảnh chân dung không đạt, chụp lại.'],
      [5, 'Đã chụp lại, đề nghị phê duyệt.'],
      [6, 'Đồng ý.'],
    ];
    for (const [position, note] of old)
      await t.ctx.db
        .updateTable('dossier_steps')
        .set({ note })
        .where('position', '=', position)
        .execute();
    await moveStepNotes(t.ctx.db);
    const steps = await t.ctx.db
      .selectFrom('dossier_steps')
      .select(['position', 'kind', 'end_reason', 'note'])
      .orderBy('position')
      .execute();
    expect(steps.map((s) => [s.kind, s.end_reason, s.note])).toEqual([
      ['reception', 'handed_over', 'Chuyển đội QLHC.'],
      ['processing', 'handed_over', 'Đề nghị phê duyệt.'],
      ['approval', 'rework', 'Ảnh chân dung không đạt, chụp lại.'],
      ['processing', 'handed_over', 'Đã chụp lại, đề nghị phê duyệt.'],
      ['approval', 'approved', 'Đồng ý.'],
      ['result', null, ''],
    ]);
  });
});
