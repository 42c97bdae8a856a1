import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, documentIds, validIntake } from '../support/factories.js';
import { formValues } from '../support/form-values.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

/** Issue 28, items 10 and 14: the smaller things an office trips over on its first day. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
});
afterEach(() => t.close());

type Agent = Awaited<ReturnType<typeof loginAs>>;

async function act(agent: Agent, code: string, action: string, fields: Record<string, string>) {
  const page = await agent.get(`/ho-so/${encodeURIComponent(code)}`);
  const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
  return agent
    .post(`/ho-so/${encodeURIComponent(code)}/hanh-dong/${action}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), version, ...fields });
}

async function sameDayProcedure() {
  const p = await t.ctx.db
    .selectFrom('procedures')
    .select('code')
    .where('processing_days', '=', 0)
    .where('active', '=', 1)
    .orderBy('code')
    .executeTakeFirstOrThrow();
  return p.code;
}

async function receive(overrides: Record<string, unknown> = {}) {
  const result = await receiveDossier(
    t.ctx,
    await accountNamed(t.ctx, 'canbo'),
    await validIntake(t.ctx, overrides),
  );
  return result.code!;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a receipt reprinted after an apology letter (item 14)', () => {
  it('explains the new date, not "hẹn trả trong ngày tiếp nhận"', async () => {
    const procedure = await sameDayProcedure();
    const code = await receive({
      procedure_code: procedure,
      documents: await documentIds(t.ctx, procedure),
    });
    const agent = await loginAs(t.app, 'canbo');
    const before = await agent.get(`/ho-so/${encodeURIComponent(code)}/phieu/receipt`);
    expect(before.text).toContain('hẹn trả trong ngày tiếp nhận');
    const moved = await act(agent, code, 'reschedule', {
      new_due_date: '12/03/2026',
      reason: 'Chờ xác minh thông tin từ Công an tỉnh.',
    });
    expect(moved.status).toBe(303);
    const after = text((await agent.get(`/ho-so/${encodeURIComponent(code)}/phieu/receipt`)).text);
    expect(after).not.toContain('hẹn trả trong ngày tiếp nhận');
    expect(after).toContain('hẹn lại từ ngày 10/03/2026 sang ngày 12/03/2026');
  });
});

describe('the smaller things (item 10)', () => {
  it('refuses 31/02 as a new date saying that the day does not exist, and stores nothing', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    const res = await act(agent, code, 'reschedule', {
      new_due_date: '31/02/2026',
      reason: 'Chờ xác minh thông tin từ Công an tỉnh.',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Ngày 31/02/2026 không có trong lịch');
    expect(res.text).toContain('value="31/02/2026"');
    const d = await t.ctx.db
      .selectFrom('dossiers')
      .select('rescheduled_due_on')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(d.rescheduled_due_on).toBeNull();
  });

  it('shows an optional paper not given as not required, not as a red ✗ "(chưa nộp)"', async () => {
    const optional = await t.ctx.db
      .selectFrom('procedure_documents')
      .innerJoin('procedures', 'procedures.id', 'procedure_documents.procedure_id')
      .select(['procedures.code', 'procedure_documents.name'])
      .where('procedure_documents.required', '=', 0)
      .where('procedures.active', '=', 1)
      .orderBy('procedures.code')
      .executeTakeFirstOrThrow();
    const code = await receive({
      procedure_code: optional.code,
      documents: await documentIds(t.ctx, optional.code, 'required'),
    });
    const agent = await loginAs(t.app, 'canbo');
    const page = (await agent.get(`/ho-so/${encodeURIComponent(code)}`)).text;
    const item = new RegExp(
      `<li class="([^"]+)">([^<]*)${optional.name.replace(/[()]/g, '.')}([^<]*)</li>`,
    ).exec(page);
    expect(item?.[1]).toBe('not-given');
    expect(item?.[2]).not.toContain('✗');
    expect(item?.[3]).toContain('không bắt buộc');
    expect(item?.[3]).not.toContain('chưa nộp');
  });

  it('states a fee set case by case on a vehicle procedure, never "Lệ phí: — —"', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const page = text((await agent.get('/ho-so/moi?thu-tuc=LOCAL-DKX-SANG')).text);
    expect(page).toMatch(/Lệ phí: [^—]/);
  });

  it('heads the handover section once, not "Chuyển tiếp hồ sơ" then "Chuyển hồ sơ"', async () => {
    const code = await receive();
    const agent = await loginAs(t.app, 'canbo');
    const page = (await agent.get(`/ho-so/${encodeURIComponent(code)}`)).text;
    const section = /<section class="card handover"[\s\S]*?<\/section>/.exec(page)![0];
    const headings = [...section.matchAll(/<h[1-6][^>]*>([^<]*)<\/h[1-6]>/g)].map((m) => m[1]);
    expect(headings).toEqual(['Chuyển tiếp hồ sơ']);
    expect(section).toContain('>Chuyển hồ sơ</button>');
  });
});

describe('the head of the office signs the forms the head signs (item 12)', () => {
  const officePath = async () => {
    const office = await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    return `/quan-tri/don-vi/${office.id}`;
  };
  const apologyOf = async () => {
    const procedure = await sameDayProcedure();
    const code = await receive({
      procedure_code: procedure,
      documents: await documentIds(t.ctx, procedure),
    });
    const agent = await loginAs(t.app, 'canbo');
    const res = await act(agent, code, 'reschedule', {
      new_due_date: '12/03/2026',
      reason: 'Chờ xác minh thông tin từ Công an tỉnh.',
    });
    expect(res.status).toBe(303);
    const html = (await agent.get(res.headers.location!)).text;
    return text(/<div class="head-signature">[\s\S]*?<\/div><\/div>/.exec(html)![0]);
  };

  it('prints the head’s title and name on Mẫu 04, the deputy "KT." when one signs, never the counter officer', async () => {
    const officer = await t.ctx.db
      .selectFrom('accounts')
      .select('full_name')
      .where('username', '=', 'canbo')
      .executeTakeFirstOrThrow();
    const unset = await apologyOf();
    expect(unset).toContain('THỦ TRƯỞNG CƠ QUAN GIẢI QUYẾT HỒ SƠ');
    expect(unset).not.toContain(officer.full_name);

    const admin = await loginAs(t.app, 'quantri');
    const path = await officePath();
    const values = formValues((await admin.get(path)).text, path);
    const saved = await admin
      .post(path)
      .type('form')
      .send({
        ...values,
        head_title: 'Trưởng phòng',
        head_name: 'Nguyễn Văn Trưởng',
        deputy_title: 'Phó trưởng phòng',
        deputy_name: 'Trần Thị Phó',
      });
    expect(saved.status).toBe(303);
    const signed = await apologyOf();
    expect(signed).toContain('KT. TRƯỞNG PHÒNG PHÓ TRƯỞNG PHÒNG');
    expect(signed).toContain('Trần Thị Phó');
    expect(signed).not.toContain(officer.full_name);

    // Without a deputy, the head signs in person.
    const again = formValues((await admin.get(path)).text, path);
    await admin
      .post(path)
      .type('form')
      .send({ ...again, deputy_title: '', deputy_name: '' });
    const head = await apologyOf();
    expect(head).toContain('TRƯỞNG PHÒNG');
    expect(head).not.toContain('KT.');
    expect(head).toContain('Nguyễn Văn Trưởng');
  });

  it('refuses a deputy without a name (or a deputy without the head’s title) and saves nothing', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const path = await officePath();
    const values = formValues((await admin.get(path)).text, path);
    const half = await admin
      .post(path)
      .type('form')
      .send({ ...values, deputy_title: 'Phó trưởng phòng', deputy_name: '' });
    expect(half.status).toBe(422);
    expect(half.text).toContain('Ghi cả chức danh và họ tên người ký thay');
    expect(half.text).toContain('value="Phó trưởng phòng"');
    const noHead = await admin
      .post(path)
      .type('form')
      .send({ ...values, head_title: '', deputy_title: 'Phó trưởng phòng', deputy_name: 'A B' });
    expect(noHead.status).toBe(422);
    expect(noHead.text).toContain('chức danh của thủ trưởng');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select(['head_title', 'deputy_title', 'deputy_name'])
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    expect(office).toEqual({ head_title: '', deputy_title: '', deputy_name: '' });
  });
});
