import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentIds, validIntake } from '../support/factories.js';
import { formValues } from '../support/form-values.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

/** Issue 28, "a working day at the counter": the counter's smaller fixes, each as a user met it. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
});
afterEach(() => t.close());

type Agent = Awaited<ReturnType<typeof loginAs>>;

/** Opens the intake form of a procedure and posts it, as the counter's page does. */
async function submitIntake(agent: Agent, fields: Record<string, unknown>) {
  const code = String(fields.procedure_code);
  const page = await agent.get(`/ho-so/moi?thu-tuc=${encodeURIComponent(code)}`);
  return agent
    .post('/ho-so/moi')
    .type('form')
    .send({
      _csrf: csrfFrom(page.text),
      form_token: /name="form_token" value="([^"]+)"/.exec(page.text)![1],
      ...fields,
    });
}

const carTransfer = async (overrides: Record<string, unknown> = {}) =>
  validIntake(t.ctx, {
    procedure_code: 'LOCAL-DKX-SANG',
    documents: await documentIds(t.ctx, 'LOCAL-DKX-SANG', 'required'),
    vehicle_kind: 'car',
    vehicle_id: '90A-123.45',
    ...overrides,
  });

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

describe('plates, in the book and in the handover (item 4)', () => {
  it('refuses a car plate typed for a motorbike with a clear message and stores nothing', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const res = await submitIntake(
      agent,
      await carTransfer({ vehicle_kind: 'motorbike', vehicle_id: '29A-123.45' }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Biển số 29A-123.45 là biển số ô tô, không khớp loại xe Mô tô');
    expect(res.text).not.toContain('29-A1 2345');
    const stored = await t.ctx.db.selectFrom('dossiers').select('id').execute();
    expect(stored).toEqual([]);
  });

  it('prints the plate in the tracking book (Mẫu 07) and exports it in CSV and XLSX', async () => {
    const agent = await loginAs(t.app, 'canbo');
    expect((await submitIntake(agent, await carTransfer())).status).toBe(303);
    const lead = await loginAs(t.app, 'lanhdao');
    const book = await lead.get('/bao-cao/so-theo-doi?period=today');
    expect(book.status).toBe(200);
    expect(book.text).toContain('90A-123.45');
    const csv = await lead.get('/bao-cao/xuat/so-theo-doi.csv?period=today');
    expect(csv.text).toContain('Biển số');
    expect(csv.text).toContain('90A-123.45');
    const xlsx = await lead
      .get('/bao-cao/xuat/so-theo-doi.xlsx?period=today')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ArrayBuffer);
    const cells: string[] = [];
    workbook.getWorksheet(1)!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    expect(cells).toContain('Biển số');
    expect(cells).toContain('90A-123.45');
  });

  it('hands a car transfer over to the traffic team its step plan names, preselected', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const made = await submitIntake(agent, await carTransfer());
    const code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(made.headers.location!)![1]!);
    const page = await agent.get(`/ho-so/${encodeURIComponent(code)}`);
    const select = /<select id="hand_over-to_unit"[\s\S]*?<\/select>/.exec(page.text)![0];
    const selected = /<option value="\d+"[^>]*selected[^>]*>([^<]+)</.exec(select)?.[1];
    expect(selected).toBe('Đội Cảnh sát giao thông – trật tự');
  });
});

describe('the tracking book is dated the day it is made (item 13)', () => {
  it('prints a month book made on 10/03 as dated 10/03, not the period’s last day', async () => {
    const lead = await loginAs(t.app, 'lanhdao');
    const book = await lead.get('/bao-cao/so-theo-doi?period=month');
    expect(book.status).toBe(200);
    const dateLine = /class="place-date"><em>([^<]+)</.exec(book.text)![1];
    expect(dateLine).toMatch(/, ngày 10 tháng 3 năm 2026$/);
    expect(book.text).toContain('Từ ngày 01 tháng 3 năm 2026 đến ngày 31 tháng 3 năm 2026');
  });
});

describe('roles: what the header says, where each lands, who sets them (item 8)', () => {
  it.each([
    ['canbo', 'Cán bộ tiếp nhận', '/ho-so/hom-nay'],
    ['xuly', 'Cán bộ xử lý', '/viec-cua-toi'],
    ['pheduyet', 'Lãnh đạo đơn vị (phê duyệt)', '/viec-cua-toi'],
    ['lanhdao', 'Lãnh đạo', '/ho-so/hom-nay'],
  ])('%s: the header says "%s" and the first page is %s', async (username, label, landing) => {
    const agent = await loginAs(t.app, username);
    const home = await agent.get('/');
    expect(home.headers.location).toBe(landing);
    const page = await agent.get(landing);
    const whoami = /<div class="whoami">\s*<span>([^<]+)</.exec(page.text)![1]!;
    expect(whoami.split(' · ')[1]).toBe(label);
  });

  it('lets an administrator set an account’s counter duty with a checkbox, audited', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const { id } = await t.ctx.db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', 'xuly')
      .executeTakeFirstOrThrow();
    const page = await admin.get(`/quan-tri/tai-khoan/${id}`);
    expect(page.text).toContain('name="counter_duty"');
    const values = formValues(page.text, `/quan-tri/tai-khoan/${id}`);
    expect(values.counter_duty).toBeUndefined(); // a processor is not at the counter
    const res = await admin
      .post(`/quan-tri/tai-khoan/${id}`)
      .type('form')
      .send({ ...values, counter_duty: 'on' });
    expect(res.status).toBe(303);
    const row = await t.ctx.db
      .selectFrom('accounts')
      .select('counter_duty')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(row.counter_duty)).toBe(1);
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'account.updated')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ counterDuty: true });
    // Now a processor at the counter too: the header says both, and the board is home.
    const xuly = await loginAs(t.app, 'xuly');
    expect((await xuly.get('/')).headers.location).toBe('/ho-so/hom-nay');
    expect((await xuly.get('/ho-so/hom-nay')).text).toContain('Cán bộ tiếp nhận, xử lý');
  });

  it('lets an administrator let supervisors act for the office’s units, on the office page', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const office = await t.ctx.db
      .selectFrom('offices')
      .select(['id', 'supervisor_acts_for_units'])
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow();
    expect(Number(office.supervisor_acts_for_units)).toBe(0);
    const page = await admin.get(`/quan-tri/don-vi/${office.id}`);
    expect(page.text).toContain('lãnh đạo được thao tác thay đơn vị xử lý');
    const values = formValues(page.text, `/quan-tri/don-vi/${office.id}`);
    const res = await admin
      .post(`/quan-tri/don-vi/${office.id}`)
      .type('form')
      .send({ ...values, supervisor_acts_for_units: 'on' });
    expect(res.status).toBe(303);
    const after = await t.ctx.db
      .selectFrom('offices')
      .select('supervisor_acts_for_units')
      .where('id', '=', office.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.supervisor_acts_for_units)).toBe(1);
    // And back off: an unticked box is "no".
    const again = formValues(
      (await admin.get(`/quan-tri/don-vi/${office.id}`)).text,
      `/quan-tri/don-vi/${office.id}`,
    );
    expect(again.supervisor_acts_for_units).toBe('on');
    delete again.supervisor_acts_for_units;
    await admin.post(`/quan-tri/don-vi/${office.id}`).type('form').send(again);
    const off = await t.ctx.db
      .selectFrom('offices')
      .select('supervisor_acts_for_units')
      .where('id', '=', office.id)
      .executeTakeFirstOrThrow();
    expect(Number(off.supervisor_acts_for_units)).toBe(0);
  });
});

describe('each note belongs to the step it was written on (item 9)', () => {
  it('shows the processor’s note on processing and the approver’s on approval, on the page and on Mẫu 06', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const made = await submitIntake(agent, await validIntake(t.ctx));
    const code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(made.headers.location!)![1]!);
    const act = async (who: Agent, action: string, fields: Record<string, string>) => {
      const page = await who.get(`/ho-so/${encodeURIComponent(code)}`);
      const res = await who
        .post(`/ho-so/${encodeURIComponent(code)}/hanh-dong/${action}`)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          version: /name="version" value="(\d+)"/.exec(page.text)![1],
          ...fields,
        });
      expect(res.status, `${action}: ${res.text.slice(0, 300)}`).toBe(303);
    };
    const qlhc = await t.ctx.db
      .selectFrom('processing_units')
      .select('id')
      .where('code', '=', 'QLHC')
      .executeTakeFirstOrThrow();
    await act(agent, 'hand_over', { to_unit: String(qlhc.id), note: 'Chuyển đội QLHC xử lý.' });
    const processor = await loginAs(t.app, 'xuly');
    await act(processor, 'claim', {});
    await act(processor, 'hand_over', {
      to_step: 'approval',
      note: 'Hồ sơ đủ điều kiện, đề nghị phê duyệt.',
    });
    const approver = await loginAs(t.app, 'pheduyet');
    await act(approver, 'approve', { note: 'Đồng ý.' });

    const steps = await t.ctx.db
      .selectFrom('dossier_steps')
      .select(['kind', 'note'])
      .orderBy('position')
      .execute();
    expect(steps).toEqual([
      { kind: 'reception', note: 'Chuyển đội QLHC xử lý.' },
      { kind: 'processing', note: 'Hồ sơ đủ điều kiện, đề nghị phê duyệt.' },
      { kind: 'approval', note: 'Đồng ý.' },
      { kind: 'result', note: '' },
    ]);

    const rowsOf = (html: string, cls: RegExp) =>
      [...html.matchAll(/<tr\b([^>]*)>([\s\S]*?)<\/tr>/g)]
        .filter((m) => cls.test(m[0]))
        .map((m) => m[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
    const page = (await agent.get(`/ho-so/${encodeURIComponent(code)}`)).text;
    const table = /<table class="data steps">[\s\S]*?<\/table>/.exec(page)![0];
    const rows = rowsOf(table.slice(table.indexOf('<tbody>')), /<td>/);
    expect(rows.find((r) => r.includes(' Xử lý '))).toContain('đề nghị phê duyệt');
    expect(rows.find((r) => r.includes(' Phê duyệt '))).toContain('Đồng ý.');
    expect(rows.find((r) => r.includes(' Phê duyệt '))).not.toContain('đề nghị phê duyệt');
    expect(rows.find((r) => r.includes('Chuyển kết quả'))).not.toContain('Đồng ý.');

    // Mẫu 06: a row per step, its receiver, its own result and its own note.
    const slip = (await agent.get(`/ho-so/${encodeURIComponent(code)}/phieu/control`)).text;
    const slipRows = rowsOf(slip, /handover-row/);
    // A row per step: reception (from the citizen), processing, approval (Đỗ Văn Hùng), result.
    expect(slipRows).toHaveLength(4);
    expect(slipRows[0]).toContain('Chuyển đội QLHC xử lý.');
    expect(slipRows[2]).toContain('Đỗ Văn Hùng');
    expect(slipRows[2]).toContain('Đồng ý.');
    expect(slipRows[2]).not.toContain('đề nghị phê duyệt');
    expect(slipRows.find((r) => r.includes('đề nghị phê duyệt'))).toBe(slipRows[1]);
  });
});
