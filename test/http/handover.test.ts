import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, createOfficerAt, documentIds, validIntake } from '../support/factories.js';
import {
  createTestApp,
  csrfFrom,
  loginAs,
  rawSql,
  placeholders,
  type TestApp,
} from '../support/test-app.js';

let t: TestApp;
const tokens: Record<string, string> = {};
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
  for (const name of ['canbo', 'xuly', 'pheduyet', 'csgt', 'lanhdao'])
    tokens[name] = await issueApiToken(t.ctx, (await accountNamed(t.ctx, name)).id, 'test', null);
});
afterEach(() => t.close());

const as = (who: string) => ({
  get: (path: string) => request(t.app).get(path).set('authorization', `Bearer ${tokens[who]}`),
  post: (path: string, body: unknown) =>
    request(t.app)
      .post(path)
      .set('authorization', `Bearer ${tokens[who]}`)
      .send(body as object),
});

async function receive(overrides: Record<string, unknown> = {}): Promise<string> {
  const documents =
    typeof overrides.procedure_code === 'string'
      ? { documents: await documentIds(t.ctx, overrides.procedure_code) }
      : {};
  return (
    await receiveDossier(
      t.ctx,
      await accountNamed(t.ctx, 'canbo'),
      await validIntake(t.ctx, { ...documents, ...overrides }),
    )
  ).code!;
}
async function version(code: string): Promise<string> {
  return String(
    (
      await t.ctx.db
        .selectFrom('dossiers')
        .select('version')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).version,
  );
}
async function act(who: string, code: string, action: string, body: Record<string, string> = {}) {
  return as(who).post(`/api/v1/dossiers/${code}/actions/${action}`, {
    version: await version(code),
    ...body,
  });
}
const unitId = async (code: string) =>
  String(
    (
      await t.ctx.db
        .selectFrom('processing_units')
        .select('id')
        .where('code', '=', code)
        .where('office_id', '=', (await accountNamed(t.ctx, 'canbo')).officeId)
        .executeTakeFirstOrThrow()
    ).id,
  );
const stepsOf = async (code: string) =>
  (await as('canbo').get(`/api/v1/dossiers/${code}`)).body.steps as {
    kind: string;
    holder: { name: string } | null;
    unit: { code: string } | null;
    outcome: string | null;
    due_at: string | null;
    finished_at: string | null;
    end_reason: string | null;
  }[];

describe('the path of a dossier after the counter', () => {
  it('reception → processing → approval → result at the counter → return, each step with holder, deadline and outcome', async () => {
    const code = await receive();
    let detail = (await as('canbo').get(`/api/v1/dossiers/${code}`)).body;
    expect(detail.holder).toMatchObject({
      step: 'reception',
      account: { name: 'Trần Thị Hoa' },
      since: '2026-03-10T02:00:00.000Z',
    });
    // 7 working days of căn cước: reception gets min(4 h, 10 %): 09:00 + 4 working hours = 15:00 (lunch passes).
    expect(detail.holder.due_at).toBe('2026-03-10T08:00:00.000Z');
    expect(detail.allowed_actions).toContain('hand_over');

    t.clock.set('2026-03-10T03:00:00Z');
    const handed = await act('canbo', code, 'hand_over', { to_unit: await unitId('QLHC') });
    expect(handed.status).toBe(200);
    expect(handed.body.dossier.status).toBe('processing');
    detail = (await as('canbo').get(`/api/v1/dossiers/${code}`)).body;
    expect(detail.holder).toMatchObject({
      step: 'processing',
      unit: { code: 'QLHC' },
      account: null,
    });
    expect(detail.steps[0]).toMatchObject({
      kind: 'reception',
      outcome: 'on_time',
      end_reason: 'handed_over',
      finished_by: 'Trần Thị Hoa',
      worked_minutes: 60,
    });
    // The board says who holds each dossier.
    expect(
      (await as('canbo').get('/api/v1/board')).body.receivedToday.rows.map(
        (r: { holder: string }) => r.holder,
      ),
    ).toEqual(['Đội Cảnh sát QLHC về TTXH']);
    expect((await loginAs(t.app, 'canbo').then((a) => a.get('/ho-so/hom-nay'))).text).toContain(
      '<td>Đội Cảnh sát QLHC về TTXH</td>',
    );

    // The unit's queue shows it to its processor, not to the traffic police.
    expect(
      (await as('xuly').get('/api/v1/worklist')).body.sections.queue.map(
        (i: { dossier: { code: string } }) => i.dossier.code,
      ),
    ).toEqual([code]);
    expect((await as('csgt').get('/api/v1/worklist')).body.sections.queue ?? []).toEqual([]);
    expect((await act('csgt', code, 'claim')).body.error.code).toBe('not_your_unit');

    t.clock.set('2026-03-10T04:00:00Z');
    expect((await act('xuly', code, 'claim')).status).toBe(200);
    expect(
      (await as('xuly').get('/api/v1/worklist')).body.sections.mine.map(
        (i: { dossier: { code: string } }) => i.dossier.code,
      ),
    ).toEqual([code]);
    // Only the holder (or the unit's leader) hands it on.
    expect((await act('canbo', code, 'hand_over', { to_step: 'approval' })).body.error.code).toBe(
      'not_your_unit',
    );

    t.clock.set('2026-03-12T03:00:00Z');
    const toApproval = await act('xuly', code, 'hand_over', {
      to_step: 'approval',
      to_account: 'pheduyet',
    });
    expect(toApproval.status).toBe(200);
    expect((await as('pheduyet').get('/api/v1/worklist')).body.sections.approvals).toHaveLength(1);
    // A processor does not approve; an approver of another unit neither.
    expect((await act('xuly', code, 'approve')).status).toBe(403);

    t.clock.set('2026-03-12T08:00:00Z');
    const approved = await act('pheduyet', code, 'approve', { note: 'Đồng ý.' });
    expect(approved.status).toBe(200);
    expect(
      (await as('canbo').get('/api/v1/worklist')).body.sections.counter.map(
        (i: { step: { kind: string } }) => i.step.kind,
      ),
    ).toEqual(['result']);

    t.clock.set('2026-03-12T09:00:00Z');
    expect((await act('canbo', code, 'mark_result_ready')).status).toBe(200);
    t.clock.set('2026-03-13T02:00:00Z');
    expect(
      (await act('canbo', code, 'return_result', { returned_to: 'Nguyễn Văn An' })).status,
    ).toBe(200);

    const steps = await stepsOf(code);
    expect(steps.map((s) => `${s.kind}:${s.end_reason}`)).toEqual([
      'reception:handed_over',
      'processing:handed_over',
      'approval:approved',
      'result:result_received',
      'return:returned',
    ]);
    expect(steps.map((s) => s.holder?.name ?? null)).toEqual([
      'Trần Thị Hoa',
      'Lê Thị Thu',
      'Đỗ Văn Hùng',
      null,
      null,
    ]);
    expect(steps.every((s) => s.finished_at !== null)).toBe(true);
    expect(steps[4]!.due_at).toBeNull();
    const events = (await as('canbo').get(`/api/v1/dossiers/${code}`)).body.events.map(
      (e: { action: string }) => e.action,
    );
    expect(events).toEqual([
      'received',
      'hand_over',
      'claim',
      'hand_over',
      'approve',
      'mark_result_ready',
      'return_result',
    ]);
  });

  it('sends a dossier back for rework with a reason, to the step and officer before', async () => {
    const code = await receive();
    await act('canbo', code, 'hand_over', { to_unit: await unitId('QLHC'), to_account: 'xuly' });
    await act('xuly', code, 'hand_over', { to_step: 'approval' });
    const noReason = await act('pheduyet', code, 'return_for_rework', { reason: 'sai' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.fields.reason).toMatch(/lý do/i);
    expect((await act('pheduyet', code, 'claim')).status).toBe(200);
    const back = await act('pheduyet', code, 'return_for_rework', {
      reason: 'Ảnh chân dung không đạt chuẩn, chụp lại.',
    });
    expect(back.status).toBe(200);
    const steps = await stepsOf(code);
    expect(steps.map((s) => s.kind)).toEqual(['reception', 'processing', 'approval', 'processing']);
    expect(steps[2]).toMatchObject({ end_reason: 'rework' });
    expect(steps[3]).toMatchObject({
      holder: { name: 'Lê Thị Thu' },
      unit: { code: 'QLHC' },
      finished_at: null,
    });
    // And from processing back to the counter.
    expect(
      (
        await act('xuly', code, 'return_for_rework', {
          reason: 'Thiếu bản sao giấy khai sinh hợp lệ.',
        })
      ).status,
    ).toBe(200);
    expect((await stepsOf(code)).at(-1)).toMatchObject({
      kind: 'reception',
      holder: { name: 'Trần Thị Hoa' },
    });
  });

  it('refuses an officer of another office, an unknown unit and a non-member receiver with clear errors', async () => {
    const code = await receive();
    const noUnit = await act('canbo', code, 'hand_over', { to_unit: 'KHONGCO' });
    expect(noUnit.status).toBe(422);
    expect(noUnit.body.error.fields.to_unit).toBeTruthy();
    const notMember = await act('canbo', code, 'hand_over', {
      to_unit: await unitId('QLHC'),
      to_account: 'csgt',
    });
    expect(notMember.status).toBe(422);
    expect(notMember.body.error.fields.to_account).toBeTruthy();
    const approverOnly = await act('canbo', code, 'hand_over', {
      to_unit: await unitId('QLHC'),
      to_account: 'xuly',
      to_step: 'approval',
    });
    expect(approverOnly.status).toBe(422);
    await createOfficerAt(t.ctx, '000.11.13.H40', 'xa1');
    const commune = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'xa1')).id, 't', null);
    const other = await request(t.app)
      .post(`/api/v1/dossiers/${code}/actions/claim`)
      .set('authorization', `Bearer ${commune}`)
      .send({ version: await version(code) });
    expect(other.status).toBe(404);
    expect((await act('canbo', code, 'approve')).status).toBe(409);
    expect(
      (await as('canbo').post(`/api/v1/dossiers/${code}/actions/hand_over`, {})).body.error.fields
        .version,
    ).toBeTruthy();
    expect(
      (
        await as('canbo').post(`/api/v1/dossiers/${code}/actions/hand_over`, {
          version: '1',
          to_unit: ['x'],
        })
      ).status,
    ).toBe(422);
  });

  it('lets one of two officers claiming the same dossier at once win; the other gets 409', async () => {
    const code = await receive();
    await act('canbo', code, 'hand_over', { to_unit: await unitId('QLHC') });
    const v = await version(code);
    const [a, b] = await Promise.all([
      as('xuly').post(`/api/v1/dossiers/${code}/actions/claim`, { version: v }),
      as('pheduyet').post(`/api/v1/dossiers/${code}/actions/claim`, { version: v }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const holders = await rawSql<{ holder_name: string }>(
      t.ctx,
      placeholders(
        t.ctx,
        'select holder_name from dossier_steps where finished_at is null and kind = ?',
      ),
      ['processing'],
    );
    expect(holders).toHaveLength(1);
    expect(['Lê Thị Thu', 'Đỗ Văn Hùng']).toContain(holders[0]!.holder_name);
    // Claiming again what somebody holds is a conflict too, with who holds it.
    const again = await act(a.status === 200 ? 'pheduyet' : 'xuly', code, 'claim');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_claimed');
  });

  it('pauses the step for a supplement and reopens it with the same holder; a refusal closes it', async () => {
    const code = await receive();
    await act('canbo', code, 'hand_over', { to_unit: await unitId('QLHC'), to_account: 'xuly' });
    expect(
      (
        await act('xuly', code, 'request_supplement', {
          supplement_what: 'Ảnh chân dung',
          reason: 'Ảnh không đạt chuẩn chụp.',
        })
      ).status,
    ).toBe(200);
    expect((await stepsOf(code)).at(-1)).toMatchObject({
      kind: 'processing',
      end_reason: 'supplement',
    });
    t.clock.set('2026-03-16T02:00:00Z');
    expect((await act('canbo', code, 'receive_supplement')).status).toBe(200);
    const reopened = (await stepsOf(code)).at(-1)!;
    expect(reopened).toMatchObject({
      kind: 'processing',
      holder: { name: 'Lê Thị Thu' },
      finished_at: null,
    });
    // The clock restarted: the new step's deadline counts from the papers' arrival.
    expect(reopened.due_at! > '2026-03-16T02:00:00.000Z').toBe(true);
    expect(
      (
        await act('canbo', code, 'refuse', {
          reason: 'Không thuộc thẩm quyền giải quyết của đơn vị.',
        })
      ).status,
    ).toBe(200);
    expect((await stepsOf(code)).at(-1)).toMatchObject({ end_reason: 'closed' });
  });

  it('escalates an overdue step to the unit leader and the supervisor, and prompts the apology before the date', async () => {
    const code = await receive({ procedure_code: '1.004194' }); // tạm trú: 3 working days
    await act('canbo', code, 'hand_over', { to_unit: await unitId('QLHC'), to_account: 'xuly' });
    t.clock.set('2026-03-12T09:00:00Z'); // Thu 16:00: processing (about 1.5 days) is late, the date (Fri 13) not yet
    const detail = (await as('xuly').get(`/api/v1/dossiers/${code}`)).body;
    expect(detail.holder.alert).toBe('overdue');
    expect(detail.apology_due).toBe(true);
    const leader = (await as('pheduyet').get('/api/v1/worklist')).body;
    expect(
      leader.sections.escalated.map((i: { dossier: { code: string } }) => i.dossier.code),
    ).toEqual([code]);
    expect(leader.counts.escalated.overdue).toBe(1);
    const board = (await as('lanhdao').get('/api/v1/board')).body;
    expect(board.steps.overdue.map((s: { code: string }) => s.code)).toEqual([code]);
    const agent = await loginAs(t.app, 'xuly');
    const page = await agent.get(`/ho-so/${code}`);
    expect(page.text).toContain('văn bản xin lỗi và đề nghị gia hạn');
    expect(page.text).toContain('Lê Thị Thu (Đội Cảnh sát QLHC về TTXH)');
    // Once rescheduled the prompt is gone.
    expect(
      (
        await act('canbo', code, 'reschedule', {
          new_due_date: '2026-03-17',
          reason: 'Chờ xác minh thông tin cư trú tại địa phương.',
        })
      ).status,
    ).toBe(200);
    expect((await as('xuly').get(`/api/v1/dossiers/${code}`)).body.apology_due).toBe(false);
  });
});

describe('the pages of the handover', () => {
  it('hands over, claims and approves through the forms, and prints the process-control slip with its rows', async () => {
    const code = await receive();
    const counter = await loginAs(t.app, 'canbo');
    const form = async (
      agent: Awaited<ReturnType<typeof loginAs>>,
      action: string,
      fields: Record<string, string> = {},
    ) => {
      const page = await agent.get(`/ho-so/${code}`);
      const v = /name="version" value="(\d+)"/.exec(page.text)![1]!;
      return agent
        .post(`/ho-so/${code}/hanh-dong/${action}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), version: v, ...fields });
    };
    const shown = await counter.get(`/ho-so/${code}`);
    expect(shown.text).toContain('Hồ sơ đang ở đâu');
    expect(shown.text).toContain('id="action-hand_over"');
    expect(shown.text).not.toContain('id="action-start_processing"');
    expect(
      (await form(counter, 'hand_over', { to_unit: await unitId('QLHC'), to_account: '' })).status,
    ).toBe(303);
    const processor = await loginAs(t.app, 'xuly');
    const mine = await processor.get('/viec-cua-toi');
    expect(mine.status).toBe(200);
    expect(mine.text).toContain(code);
    expect((await form(processor, 'claim')).status).toBe(303);
    const bad = await form(processor, 'hand_over', {
      to_step: 'approval',
      to_account: String((await accountNamed(t.ctx, 'csgt')).id),
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Cán bộ nhận không thuộc đơn vị');
    expect(
      (await form(processor, 'hand_over', { to_step: 'approval', to_account: '' })).status,
    ).toBe(303);
    const approver = await loginAs(t.app, 'pheduyet');
    expect((await approver.get('/viec-cua-toi?muc=approvals')).text).toContain(code);
    expect((await form(approver, 'approve')).status).toBe(303);
    const slip = await counter.get(`/ho-so/${code}/phieu/control`);
    expect(slip.status).toBe(200);
    expect(slip.text).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(slip.text.match(/class="handover-row"/g)).toHaveLength(4);
    for (const text of [
      'Nguyễn Văn An',
      'Trần Thị Hoa',
      'Lê Thị Thu',
      'Đội Cảnh sát QLHC về TTXH',
      'Bộ phận tiếp nhận và trả kết quả',
      'Đúng hạn',
    ])
      expect(slip.text).toContain(text);
  });

  it('administers units, members, a step plan and office working hours, with field errors in Vietnamese', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const list = await admin.get('/quan-tri/bo-phan-xu-ly');
    expect(list.text).toContain('Đội Cảnh sát QLHC về TTXH');
    const office = String((await accountNamed(t.ctx, 'canbo')).officeId);
    const bad = await admin
      .post('/quan-tri/bo-phan-xu-ly')
      .type('form')
      .send({ _csrf: csrfFrom(list.text), office_id: office, code: 'qlhc', name: 'Trùng mã' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Mã này đã có');
    const created = await admin
      .post('/quan-tri/bo-phan-xu-ly')
      .type('form')
      .send({
        _csrf: csrfFrom(list.text),
        office_id: office,
        code: 'ANTT',
        name: 'Tổ quản lý ngành nghề kinh doanh có điều kiện',
      });
    expect(created.status).toBe(303);
    const unitPage = await admin.get(created.headers.location!);
    const canbo = String((await accountNamed(t.ctx, 'canbo')).id);
    expect(
      (
        await admin
          .post(`${created.headers.location}/thanh-vien`)
          .type('form')
          .send({ _csrf: csrfFrom(unitPage.text), account_id: canbo, role: 'boss' })
      ).status,
    ).toBe(422);
    expect(
      (
        await admin
          .post(`${created.headers.location}/thanh-vien`)
          .type('form')
          .send({ _csrf: csrfFrom(unitPage.text), account_id: canbo, role: 'approver' })
      ).status,
    ).toBe(303);
    const units = (await as('canbo').get('/api/v1/units')).body.units;
    expect(units.find((u: { code: string }) => u.code === 'ANTT').members).toEqual([
      expect.objectContaining({ username: 'canbo', role: 'approver' }),
    ]);

    const procedure = (
      await t.ctx.db
        .selectFrom('procedures')
        .select('id')
        .where('code', '=', '1.004194')
        .executeTakeFirstOrThrow()
    ).id;
    const page = await admin.get(`/quan-tri/thu-tuc/${procedure}`);
    expect(page.text).toContain('kế hoạch mặc định');
    const tooLong = await admin
      .post(`/quan-tri/thu-tuc/${procedure}/quy-trinh`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        hours_reception: '4',
        hours_processing: '20',
        hours_approval: '2',
        hours_result: '1',
      });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('vượt thời hạn giải quyết');
    const badHours = await admin
      .post(`/quan-tri/thu-tuc/${procedure}/quy-trinh`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        hours_reception: 'abc',
        hours_processing: '0',
        hours_approval: '2',
        hours_result: '1',
      });
    expect(badHours.status).toBe(422);
    expect(
      (
        await admin
          .post(`/quan-tri/thu-tuc/${procedure}/quy-trinh`)
          .type('form')
          .send({
            _csrf: csrfFrom(page.text),
            hours_reception: '1',
            hours_processing: '16,5',
            hours_approval: '4',
            hours_result: '2',
            unit_processing: 'antt',
          })
      ).status,
    ).toBe(303);
    const plan = await t.ctx.db
      .selectFrom('procedure_step_plans')
      .selectAll()
      .where('procedure_id', '=', procedure)
      .orderBy('kind')
      .execute();
    expect(plan.map((p) => [p.kind, p.minutes, p.unit_code])).toEqual([
      ['approval', 240, null],
      ['processing', 990, 'ANTT'],
      ['reception', 60, null],
      ['result', 120, null],
    ]);
    // A dossier of that procedure now goes to the plan's unit by "Chuyển xử lý".
    const code = await receive({ procedure_code: '1.004194' });
    expect((await act('canbo', code, 'start_processing')).status).toBe(200);
    expect((await stepsOf(code)).at(-1)).toMatchObject({
      kind: 'processing',
      unit: { code: 'ANTT' },
    });
    // Office working hours: checked, normalised.
    const officePage = await admin.get(`/quan-tri/don-vi/${office}`);
    const officeRow = await t.ctx.db
      .selectFrom('offices')
      .selectAll()
      .where('id', '=', Number(office))
      .executeTakeFirstOrThrow();
    const officeForm = {
      _csrf: csrfFrom(officePage.text),
      code: officeRow.code,
      name: officeRow.name,
      short_name: officeRow.short_name,
      valid_from: officeRow.valid_from,
    };
    const wrong = await admin
      .post(`/quan-tri/don-vi/${office}`)
      .type('form')
      .send({ ...officeForm, working_hours: '13:30-17:00,07:00-11:30' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Giờ làm việc dạng');
    expect(
      (
        await admin
          .post(`/quan-tri/don-vi/${office}`)
          .type('form')
          .send({ ...officeForm, working_hours: '07:30-11:30, 13:00-17:00' })
      ).status,
    ).toBe(303);
    expect(
      (
        await t.ctx.db
          .selectFrom('offices')
          .select('working_hours')
          .where('id', '=', Number(office))
          .executeTakeFirstOrThrow()
      ).working_hours,
    ).toBe('07:30-11:30,13:00-17:00');
  });

  it('forbids unit administration to anyone but an administrator', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    expect((await agent.get('/quan-tri/bo-phan-xu-ly')).status).toBe(403);
    expect((await request(t.app).get('/api/v1/units')).status).toBe(401);
    expect((await request(t.app).get('/api/v1/worklist')).status).toBe(401);
  });
});

describe('the per-step report', () => {
  it('agrees with a row-by-row count of the steps on a random history', async () => {
    let seed = 7;
    // Park–Miller: exact in doubles, deterministic.
    const random = (n: number) =>
      Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
    const qlhc = await unitId('QLHC');
    for (let i = 0; i < 12; i++) {
      t.clock.set(new Date(Date.parse('2026-03-02T01:30:00Z') + i * 3 * 3600_000));
      const code = await receive();
      if (random(4) === 0) continue;
      t.clock.set(new Date(t.clock.now().getTime() + (1 + random(6)) * 3600_000));
      expect(
        (
          await act('canbo', code, 'hand_over', {
            to_unit: qlhc,
            ...(random(2) ? { to_account: 'xuly' } : {}),
          })
        ).status,
      ).toBe(200);
      if (random(3) === 0) continue;
      t.clock.set(new Date(t.clock.now().getTime() + (1 + random(60)) * 3600_000));
      if ((await stepsOf(code)).at(-1)!.holder === null)
        expect((await act('xuly', code, 'claim')).status).toBe(200);
      expect((await act('xuly', code, 'hand_over', { to_step: 'approval' })).status).toBe(200);
      if (random(2) === 0) continue;
      t.clock.set(new Date(t.clock.now().getTime() + (1 + random(30)) * 3600_000));
      expect((await act('pheduyet', code, 'approve')).status).toBe(200);
    }
    t.clock.set('2026-03-20T03:00:00Z');
    const lead = await loginAs(t.app, 'lanhdao');
    const page = await lead.get('/bao-cao?period=custom&from=01/03/2026&to=31/03/2026&office=all');
    expect(page.status).toBe(200);
    const rows = await rawSql<{
      unit_id: number | null;
      outcome: string | null;
      due_at: string | null;
      risk_at: string | null;
      finished_at: string | null;
    }>(t.ctx, 'select unit_id, outcome, due_at, risk_at, finished_at from dossier_steps');
    const now = t.clock.now().toISOString();
    const unitTable = page.text.slice(
      page.text.indexOf('<caption>Theo đơn vị xử lý'),
      page.text.indexOf('<caption>Theo cán bộ giữ hồ sơ'),
    );
    const cell = (key: string, col: number) => {
      const m = new RegExp(
        `<tr data-key="${key}"><th scope="row">[^<]*</th>((?:<td class="num">\\d+</td>){6})`,
      ).exec(unitTable);
      return m ? Number([...m[1]!.matchAll(/<td class="num">(\d+)<\/td>/g)][col]![1]) : 0;
    };
    for (const [key, unit] of [
      ['counter', null],
      [qlhc, Number(qlhc)],
    ] as const) {
      const mine = rows.filter((r) => r.unit_id === unit);
      const finished = mine.filter((r) => r.finished_at);
      expect(cell(String(key), 0), `${key} finished`).toBe(finished.length);
      expect(cell(String(key), 1), `${key} early`).toBe(
        finished.filter((r) => r.outcome === 'early').length,
      );
      expect(cell(String(key), 2), `${key} on time`).toBe(
        finished.filter((r) => r.outcome === 'on_time').length,
      );
      expect(cell(String(key), 3), `${key} late`).toBe(
        finished.filter((r) => r.outcome === 'late').length,
      );
      expect(cell(String(key), 4), `${key} overdue`).toBe(
        mine.filter((r) => !r.finished_at && r.due_at && r.due_at < now).length,
      );
      expect(cell(String(key), 5), `${key} at risk`).toBe(
        mine.filter((r) => !r.finished_at && r.risk_at && r.risk_at <= now && !(r.due_at! < now))
          .length,
      );
    }
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.some((r) => r.outcome === 'late')).toBe(true);
    expect(rows.some((r) => r.outcome === 'early' || r.outcome === 'on_time')).toBe(true);
  });
});
