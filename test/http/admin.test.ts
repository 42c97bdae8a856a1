import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveDossier } from '../../src/dossiers/intake/intake.service.js';
import { accountNamed, validIntake } from '../support/factories.js';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';

let t: TestApp;
type Agent = Awaited<ReturnType<typeof loginAs>>;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
});
afterEach(() => t.close());

async function post(agent: Agent, page: string, action: string, fields: Record<string, unknown>) {
  const html = await agent.get(page);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(html.text), ...fields });
}
const auditActions = async () =>
  (
    await t.ctx.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'not like', 'login.%')
      .orderBy('id')
      .execute()
  ).map((a) => a.action);
const districtId = async () =>
  (
    await t.ctx.db
      .selectFrom('offices')
      .select('id')
      .where('code', '=', '000.00.13.H40')
      .executeTakeFirstOrThrow()
  ).id;

describe('permissions', () => {
  it.each([
    '/quan-tri',
    '/quan-tri/tai-khoan',
    '/quan-tri/don-vi',
    '/quan-tri/thu-tuc',
    '/quan-tri/lich',
  ])('%s is for administrators only', async (path) => {
    expect((await (await loginAs(t.app, 'canbo')).get(path)).status).toBe(403);
    expect((await (await loginAs(t.app, 'lanhdao')).get(path)).status).toBe(403);
    expect((await (await loginAs(t.app, 'quantri')).get(path)).status).toBe(200);
    expect((await request(t.app).get(path)).status).toBe(303);
  });

  it('refuses an admin POST from a supervisor', async () => {
    const agent = await loginAs(t.app, 'lanhdao');
    const res = await post(agent, '/ho-so/hom-nay', '/quan-tri/lich', {
      day: '2026-11-24',
      kind: 'holiday',
      name: 'Ngày Văn hóa Việt Nam',
    });
    expect(res.status).toBe(403);
    expect(
      await t.ctx.db
        .selectFrom('calendar_days')
        .selectAll()
        .where('day', '=', '2026-11-24')
        .execute(),
    ).toEqual([]);
  });
});

describe('accounts', () => {
  it('creates an account that can log in, with an audit event', async () => {
    const agent = await loginAs(t.app, 'quantri');
    const res = await post(agent, '/quan-tri/tai-khoan', '/quan-tri/tai-khoan', {
      username: 'canbo2',
      full_name: 'Vũ Thị Lan',
      role: 'officer',
      office_id: String(await districtId()),
      password: 'mat-khau-dai-du',
    });
    expect(res.status).toBe(303);
    await loginAs(t.app, 'canbo2', 'mat-khau-dai-du');
    expect(await auditActions()).toEqual(['account.created']);
  });

  it.each([
    [{ username: 'A B' }, 'username', 'Tên đăng nhập 3–40 ký tự'],
    [{ username: 'canbo' }, 'username', 'Tên đăng nhập đã có người dùng.'],
    [{ password: 'ngan' }, 'password', 'Mật khẩu ít nhất 10 ký tự.'],
    [{ full_name: '' }, 'full_name', 'Nhập họ và tên'],
    [{ role: 'god' }, 'role', 'Chọn vai trò.'],
    [{ office_id: '99999' }, 'office_id', 'Chọn đơn vị.'],
  ])('rejects %j with a message beside %s', async (override, field, message) => {
    const agent = await loginAs(t.app, 'quantri');
    const res = await post(agent, '/quan-tri/tai-khoan', '/quan-tri/tai-khoan', {
      username: 'moi.canbo',
      full_name: 'Vũ Thị Lan',
      role: 'officer',
      office_id: String(await districtId()),
      password: 'mat-khau-dai-du',
      ...override,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toContain(message);
    expect(res.text).toContain(
      'value="Vũ Thị Lan"'.replace(
        'Vũ Thị Lan',
        String((override as Record<string, string>).full_name ?? 'Vũ Thị Lan'),
      ),
    );
    expect(await auditActions()).toEqual([]);
  });

  it('deactivates an account and ends its sessions at once', async () => {
    const officer = await loginAs(t.app, 'canbo');
    const admin = await loginAs(t.app, 'quantri');
    const id = (await accountNamed(t.ctx, 'canbo')).id;
    const res = await post(admin, `/quan-tri/tai-khoan/${id}`, `/quan-tri/tai-khoan/${id}`, {
      full_name: 'Trần Thị Hoa',
      role: 'officer',
      office_id: String(await districtId()),
    });
    expect(res.status).toBe(303);
    expect((await officer.get('/ho-so/hom-nay')).status).toBe(303);
    const again = request.agent(t.app);
    const page = await again.get('/dang-nhap');
    const login = await again
      .post('/dang-nhap')
      .type('form')
      .send({ username: 'canbo', password: 'MotCua@2026', _csrf: csrfFrom(page.text) });
    expect(login.status).toBe(401);
    expect(login.text).toContain('ngừng hoạt động');
  });

  it('will not let an administrator lock themselves out', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const id = (await accountNamed(t.ctx, 'quantri')).id;
    const res = await post(admin, `/quan-tri/tai-khoan/${id}`, `/quan-tri/tai-khoan/${id}`, {
      full_name: 'Phạm Đức Anh',
      role: 'officer',
      office_id: String(await districtId()),
      active: 'on',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Không thể tự bỏ quyền quản trị');
  });

  it('resets a password (matching twice) and issues and revokes an API token shown once', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const id = (await accountNamed(t.ctx, 'canbo')).id;
    const mismatch = await post(
      admin,
      `/quan-tri/tai-khoan/${id}`,
      `/quan-tri/tai-khoan/${id}/mat-khau`,
      { password: 'mot-mat-khau-moi', password_confirm: 'khac-han' },
    );
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('Hai lần nhập mật khẩu không khớp.');
    const ok = await post(
      admin,
      `/quan-tri/tai-khoan/${id}`,
      `/quan-tri/tai-khoan/${id}/mat-khau`,
      { password: 'mot-mat-khau-moi', password_confirm: 'mot-mat-khau-moi' },
    );
    expect(ok.status).toBe(303);
    await loginAs(t.app, 'canbo', 'mot-mat-khau-moi');

    const issued = await post(
      admin,
      `/quan-tri/tai-khoan/${id}`,
      `/quan-tri/tai-khoan/${id}/khoa-api`,
      { name: 'Ki-ốt tầng 1' },
    );
    expect(issued.status).toBe(200);
    const token = /<code class="token">(mc_[\w-]+)<\/code>/.exec(issued.text)![1]!;
    expect(
      (await request(t.app).get('/api/v1/procedures').set('authorization', `Bearer ${token}`))
        .status,
    ).toBe(200);
    expect((await admin.get(`/quan-tri/tai-khoan/${id}`)).text).not.toContain(token);
    const tokenId = (await t.ctx.db.selectFrom('api_tokens').select('id').executeTakeFirstOrThrow())
      .id;
    await post(
      admin,
      `/quan-tri/tai-khoan/${id}`,
      `/quan-tri/tai-khoan/${id}/khoa-api/${tokenId}/thu-hoi`,
      {},
    );
    expect(
      (await request(t.app).get('/api/v1/procedures').set('authorization', `Bearer ${token}`))
        .status,
    ).toBe(401);
    expect(await auditActions()).toEqual([
      'account.password_reset',
      'api_token.issued',
      'api_token.revoked',
    ]);
  });
});

describe('offices', () => {
  it('adds a commune office under the district, validated', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const bad = await post(admin, '/quan-tri/don-vi', '/quan-tri/don-vi', {
      code: 'x',
      name: 'Công an xã Nhân Mỹ',
      short_name: 'CA Nhân Mỹ',
      valid_from: '2026-01-01',
      valid_to: '2025-01-01',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Mã đơn vị 3–40 ký tự');
    expect(bad.text).toContain('Ngày hết hiệu lực phải sau ngày bắt đầu.');
    expect(bad.text).toContain('value="Công an xã Nhân Mỹ"');
    const dup = await post(admin, '/quan-tri/don-vi', '/quan-tri/don-vi', {
      code: '000.00.10.h35',
      name: 'Trùng mã',
      short_name: 'Trùng',
      valid_from: '2026-01-01',
    });
    expect(dup.text).toContain('Mã đơn vị đã được dùng.');
    const ok = await post(admin, '/quan-tri/don-vi', '/quan-tri/don-vi', {
      code: '000.14.10.H35',
      name: 'Công an xã Nhân Mỹ',
      short_name: 'CA Nhân Mỹ',
      parent_id: String(await districtId()),
      valid_from: '2026-01-01',
    });
    expect(ok.status).toBe(303);
    const office = await t.ctx.db
      .selectFrom('offices')
      .selectAll()
      .where('code', '=', '000.14.10.H35')
      .executeTakeFirstOrThrow();
    expect(office.parent_id).toBe(await districtId());
  });

  it('refuses a parent that would make a loop', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const district = await districtId();
    const commune = (
      await t.ctx.db
        .selectFrom('offices')
        .select('id')
        .where('code', '=', '000.12.13.H40')
        .executeTakeFirstOrThrow()
    ).id;
    const res = await post(admin, `/quan-tri/don-vi/${district}`, `/quan-tri/don-vi/${district}`, {
      code: '000.00.13.H40',
      name: 'Phòng Cảnh sát QLHC về TTXH – Công an tỉnh Ninh Bình',
      short_name: 'CA Lý Nhân',
      parent_id: String(commune),
      valid_from: '2020-01-01',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('không được là chính đơn vị này hoặc đơn vị cấp dưới');
  });
});

describe('procedures', () => {
  it('edits times and documents without moving dates already promised', async () => {
    const officer = await accountNamed(t.ctx, 'canbo');
    const before = await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
    const admin = await loginAs(t.app, 'quantri');
    const p = await t.ctx.db
      .selectFrom('procedures')
      .selectAll()
      .where('code', '=', '2.000200')
      .executeTakeFirstOrThrow();
    const base = {
      code: p.code,
      name: p.name,
      field: p.field,
      report_group: p.report_group,
      processing_days: '10',
      fee_vnd: '',
      active: 'on',
    };
    const bad = await post(admin, `/quan-tri/thu-tuc/${p.id}`, `/quan-tri/thu-tuc/${p.id}`, {
      ...base,
      processing_days: '-1',
      fee_vnd: 'abc',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Thời hạn là số ngày làm việc từ 0 đến 365.');
    expect(bad.text).toContain('Lệ phí là số đồng, không âm');
    const ok = await post(admin, `/quan-tri/thu-tuc/${p.id}`, `/quan-tri/thu-tuc/${p.id}`, base);
    expect(ok.status).toBe(303);
    const doc = await post(
      admin,
      `/quan-tri/thu-tuc/${p.id}`,
      `/quan-tri/thu-tuc/${p.id}/giay-to`,
      {
        name: 'Ảnh chân dung 4x6',
        copy_kind: 'original',
        quantity: '2',
        position: '9',
        required: 'on',
      },
    );
    expect(doc.status).toBe(303);
    const after = await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
    expect(after.outcome).toBe('accept');
    const rows = await t.ctx.db
      .selectFrom('dossiers')
      .select(['code', 'processing_days', 'due_on'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { code: before.code, processing_days: 7, due_on: '2026-03-19' },
      { code: after.code, processing_days: 10, due_on: '2026-03-24' },
    ]);
    expect(await auditActions()).toEqual(['procedure.updated', 'procedure_document.added']);
  });

  it('creates a procedure and rejects a duplicate code', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const fields = {
      code: '1.999999',
      name: 'Phê duyệt phương án cứu nạn, cứu hộ',
      report_group: 'phuong_an',
      processing_days: '5',
      active: 'on',
    };
    expect((await post(admin, '/quan-tri/thu-tuc', '/quan-tri/thu-tuc', fields)).status).toBe(303);
    const dup = await post(admin, '/quan-tri/thu-tuc', '/quan-tri/thu-tuc', fields);
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('Mã thủ tục đã có.');
  });
});

describe('calendar', () => {
  it('adds a holiday that moves new due dates, not promised ones, and shows the year', async () => {
    const officer = await accountNamed(t.ctx, 'canbo');
    const promised = await receiveDossier(t.ctx, officer, await validIntake(t.ctx)); // due Thu 19 Mar
    const admin = await loginAs(t.app, 'quantri');
    const res = await post(admin, '/quan-tri/lich?nam=2026', '/quan-tri/lich', {
      day: '2026-03-12',
      kind: 'holiday',
      name: 'Nghỉ bù đặc biệt',
    });
    expect(res.status).toBe(303);
    const page = await admin.get('/quan-tri/lich?nam=2026');
    expect(page.text).toContain('title="Nghỉ bù đặc biệt"');
    expect(page.text).toContain('Thứ Năm, 12/03/2026');
    const fresh = await receiveDossier(t.ctx, officer, await validIntake(t.ctx));
    const rows = await t.ctx.db
      .selectFrom('dossiers')
      .select(['code', 'due_on'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { code: promised.code, due_on: '2026-03-19' },
      { code: fresh.code, due_on: '2026-03-20' },
    ]);
  });

  it.each([
    [
      { day: '2026-02-30', kind: 'holiday', name: 'Sai ngày' },
      'Nhập ngày (ngày/tháng/năm, ví dụ 24/11/2026).',
    ],
    [
      { day: '2026-03-11', kind: 'make_up_workday', name: 'Làm bù' },
      'Ngày làm bù phải là thứ Bảy.',
    ],
    [{ day: '2026-01-01', kind: 'holiday', name: 'Trùng' }, 'Ngày này đã có trong lịch'],
    [{ day: '2026-03-12', kind: 'holiday', name: '' }, 'Nhập tên ngày nghỉ'],
  ])('rejects %j', async (fields, message) => {
    const admin = await loginAs(t.app, 'quantri');
    const res = await post(admin, '/quan-tri/lich', '/quan-tri/lich', fields);
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
  });

  it('removes a day', async () => {
    const admin = await loginAs(t.app, 'quantri');
    const res = await post(admin, '/quan-tri/lich', '/quan-tri/lich/2026-01-10/xoa', {});
    expect(res.status).toBe(303);
    expect(
      await t.ctx.db
        .selectFrom('calendar_days')
        .selectAll()
        .where('day', '=', '2026-01-10')
        .execute(),
    ).toEqual([]);
    expect((await post(admin, '/quan-tri/lich', '/quan-tri/lich/2026-01-10/xoa', {})).status).toBe(
      404,
    );
  });
});

describe('audit log viewer', () => {
  it('filters by action and shows admin acts', async () => {
    const admin = await loginAs(t.app, 'quantri');
    await post(admin, '/quan-tri/lich', '/quan-tri/lich', {
      day: '2026-11-24',
      kind: 'holiday',
      name: 'Ngày Văn hóa Việt Nam',
    });
    const res = await admin.get('/quan-tri/nhat-ky?action=calendar_day.added');
    expect(res.text).toContain('Thêm ngày vào lịch');
    expect(res.text).toContain('2026-11-24');
    const rows = res.text.split('<tbody>')[1]!;
    expect(rows).not.toContain('>Đăng nhập<');
  });
});
