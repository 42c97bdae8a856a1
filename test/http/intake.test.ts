import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, loginAs, type TestApp } from '../support/test-app.js';
import { accountNamed, documentIds, validIntake } from '../support/factories.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' }); // Tue 10 Mar 2026, 09:00 local
});
afterEach(() => t.close());

type Agent = Awaited<ReturnType<typeof loginAs>>;

async function openForm(agent: Agent, procedureCode = '2.000200') {
  const page = await agent.get(`/ho-so/moi?thu-tuc=${procedureCode}`);
  expect(page.status).toBe(200);
  return {
    csrf: csrfFrom(page.text),
    formToken: /name="form_token" value="([^"]+)"/.exec(page.text)![1]!,
    html: page.text,
  };
}

async function submit(agent: Agent, fields: Record<string, unknown>, procedureCode = '2.000200') {
  const { csrf, formToken } = await openForm(agent, procedureCode);
  return agent
    .post('/ho-so')
    .type('form')
    .send({ _csrf: csrf, form_token: formToken, ...fields });
}

const countDossiers = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('intake page', () => {
  it('lists the procedures and filters them by a query without diacritics', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const all = await agent.get('/ho-so/moi');
    expect(all.text).toContain('Đăng ký thường trú');
    expect(all.text).toContain('Cấp thẻ căn cước');
    const filtered = await agent.get('/ho-so/moi?q=tam%20tru');
    expect(filtered.text).toContain('Đăng ký tạm trú');
    expect(filtered.text).not.toContain('Cấp thẻ căn cước');
  });

  it("shows the chosen procedure's checklist and the applicant fields", async () => {
    const agent = await loginAs(t.app, 'canbo');
    const { html } = await openForm(agent, '2.000200');
    expect(html).toContain('Phiếu thu nhận thông tin căn cước (mẫu CC01');
    for (const field of ['applicant_name', 'personal_id', 'birth_date', 'sex', 'phone', 'address'])
      expect(html).toContain(`name="${field}"`);
    expect(html).not.toContain('name="vehicle_kind"');
    const vehicle = await openForm(agent, 'LOCAL-DKX-MT');
    expect(vehicle.html).toContain('name="vehicle_kind"');
  });

  it('fills the applicant from an ID number the office has seen (no-JavaScript path)', async () => {
    const agent = await loginAs(t.app, 'canbo');
    await submit(agent, await validIntake(t.ctx));
    const page = await agent.get('/ho-so/moi?thu-tuc=1.004194&personal_id=035090001234');
    expect(page.text).toContain('value="Nguyễn Văn An"');
    expect(page.text).toContain('value="01/05/1990"');
  });
});

describe('accepting a complete dossier', () => {
  it('gives a code, a lookup key and a due date, saves documents and the event, and shows the receipt', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const res = await submit(agent, await validIntake(t.ctx));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/ho-so/000.00.13.H40-260310-0001/phieu/receipt');

    const dossier = await t.ctx.db.selectFrom('dossiers').selectAll().executeTakeFirstOrThrow();
    expect(dossier).toMatchObject({
      code: '000.00.13.H40-260310-0001',
      status: 'received',
      intake_outcome: 'accepted',
      processing_days: 7,
      received_on: '2026-03-10',
      due_on: '2026-03-19',
      due_at: '2026-03-19T10:00:00.000Z',
      applicant_name_folded: 'nguyen van an',
      phone: '0912345678',
    });
    expect(dossier.lookup_key_hash).toMatch(/^h1:[0-9a-f]{64}$/);
    const docs = await t.ctx.db
      .selectFrom('dossier_documents')
      .selectAll()
      .where('dossier_id', '=', dossier.id)
      .execute();
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.every((d) => d.received === 1)).toBe(true);
    const events = await t.ctx.db
      .selectFrom('dossier_events')
      .selectAll()
      .where('dossier_id', '=', dossier.id)
      .execute();
    expect(events.map((e) => [e.action, e.to_status, e.actor_name])).toEqual([
      ['received', 'received', 'Trần Thị Hoa'],
    ]);

    const receipt = await agent.get(res.headers.location!);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(receipt.text).toContain('000.00.13.H40-260310-0001');
    expect(receipt.text).toContain('<svg');
    expect(receipt.text).toMatch(/Mã tra cứu: <strong class="key">[2-9A-HJKMNP-Z]{8}<\/strong>/);
    expect(receipt.text).toContain('17 giờ 00 phút, ngày 19 tháng 3 năm 2026</strong> (Thứ Năm)');
    expect(receipt.text).toContain('Không tính: 14/03–15/03 (thứ Bảy, Chủ nhật)');
  });

  it('numbers dossiers consecutively per office and day, and starts again the next day', async () => {
    const agent = await loginAs(t.app, 'canbo');
    await submit(agent, await validIntake(t.ctx));
    const second = await submit(
      agent,
      await validIntake(t.ctx, {
        applicant_name: 'Trần Thị Bình',
        personal_id: '035195004321',
        birth_date: '1995-02-03',
        sex: 'female',
      }),
    );
    expect(second.headers.location).toContain('000.00.13.H40-260310-0002');
    t.clock.set('2026-03-10T17:30:00Z'); // 00:30 Wed 11 Mar local
    const third = await submit(agent, await validIntake(t.ctx));
    expect(third.headers.location).toContain('000.00.13.H40-260311-0001');
  });

  it('creates one dossier from a form submitted twice (double click, back button)', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const { csrf, formToken } = await openForm(agent);
    const fields = { _csrf: csrf, form_token: formToken, ...(await validIntake(t.ctx)) };
    const [a, b] = await Promise.all([
      agent.post('/ho-so').type('form').send(fields),
      agent.post('/ho-so').type('form').send(fields),
    ]);
    const c = await agent.post('/ho-so').type('form').send(fields);
    expect([a.status, b.status, c.status]).toEqual([303, 303, 303]);
    expect(new Set([a.headers.location, b.headers.location, c.headers.location]).size).toBe(1);
    expect(await countDossiers()).toBe(1);
  });

  it('keeps the promised date when the calendar changes later', async () => {
    const agent = await loginAs(t.app, 'canbo');
    await submit(agent, await validIntake(t.ctx));
    await t.ctx.db
      .insertInto('calendar_days')
      .values({
        day: '2026-03-12',
        kind: 'holiday',
        name: 'Ngày nghỉ đột xuất',
        created_at: new Date().toISOString(),
      })
      .execute();
    await t.ctx.db
      .updateTable('procedures')
      .set({ processing_days: 15 })
      .where('code', '=', '2.000200')
      .execute();
    const page = await agent.get('/ho-so/000.00.13.H40-260310-0001');
    expect(page.text).toContain('17:00, Thứ Năm, 19/03/2026');
    const dossier = await t.ctx.db
      .selectFrom('dossiers')
      .select(['due_on', 'processing_days'])
      .executeTakeFirstOrThrow();
    expect(dossier).toEqual({ due_on: '2026-03-19', processing_days: 7 });
  });
});

describe('bad input at intake', () => {
  it.each([
    ['applicant_name', '', 'Nhập họ và tên người nộp hồ sơ.'],
    ['applicant_name', '<script>alert(1)</script>', 'Họ và tên chỉ gồm chữ cái'],
    ['personal_id', '12345', 'Số định danh cá nhân phải gồm đúng 12 chữ số.'],
    ['personal_id', '003090001234', 'Ba chữ số đầu không phải mã tỉnh'],
    ['personal_id', '035290001234', 'Chữ số thứ 4 (thế kỷ và giới tính) không khớp với năm sinh.'],
    ['personal_id', '035190001234', 'Chữ số thứ 4 không khớp với giới tính.'],
    ['birth_date', '2030-01-01', 'Ngày sinh không hợp lệ'],
    ['birth_date', '1990-02-30', 'Ngày sinh không hợp lệ'],
    ['phone', '0212345678', 'Số điện thoại di động không hợp lệ'],
    ['address', '', 'Nhập địa chỉ.'],
    ['sex', 'x', 'Chọn giới tính.'],
  ])(
    '%s = %j → 422 with a message beside the field, values kept, nothing saved',
    async (field, value, message) => {
      const agent = await loginAs(t.app, 'canbo');
      const res = await submit(agent, await validIntake(t.ctx, { [field]: value }));
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`id="${field}-error"`);
      // Another field's value is kept.
      expect(res.text).toContain(
        field === 'phone' ? 'value="Thôn 3, xã Hòa Hậu, Lý Nhân, Hà Nam"' : 'value="0912345678"',
      );
      expect(await countDossiers()).toBe(0);
      expect(await t.ctx.db.selectFrom('code_sequences').selectAll().execute()).toEqual([]);
    },
  );

  it('escapes what was typed when it re-renders the form', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const res = await submit(
      agent,
      await validIntake(t.ctx, { applicant_name: '<script>alert(1)</script>' }),
    );
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses to accept a dossier missing a required document', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const res = await submit(agent, await validIntake(t.ctx, { documents: [] }));
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      'Còn thiếu giấy tờ bắt buộc: Phiếu thu nhận thông tin căn cước (mẫu CC01',
    );
    expect(await countDossiers()).toBe(0);
  });

  it('asks for the vehicle and its plate on a vehicle procedure, stores the plate canonical however it is typed', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const base = await validIntake(t.ctx, {
      procedure_code: 'LOCAL-DKX-SANG',
      documents: await documentIds(t.ctx, 'LOCAL-DKX-SANG', 'required'),
    });
    const missing = await submit(agent, base, 'LOCAL-DKX-SANG');
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Chọn loại xe.');
    expect(missing.text).toContain('Nhập biển số xe.');
    const bad = await submit(
      agent,
      { ...base, vehicle_kind: 'motorbike', vehicle_id: '90I-1' },
      'LOCAL-DKX-SANG',
    );
    expect(bad.text).toContain('Biển số không hợp lệ cho loại xe đã chọn');
    const province = await submit(
      agent,
      { ...base, vehicle_kind: 'car', vehicle_id: '13A-123.45' },
      'LOCAL-DKX-SANG',
    );
    expect(province.text).toContain('Mã tỉnh 13 trên biển số không thuộc tỉnh, thành phố nào');
    const spellings = ['90B1-123.45', '90-B1 123.45', '90B1 - 12345'];
    for (const plate of spellings) {
      const ok = await submit(
        agent,
        { ...base, vehicle_kind: 'motorbike', vehicle_id: plate },
        'LOCAL-DKX-SANG',
      );
      expect(ok.status, plate).toBe(303);
    }
    const rows = await t.ctx.db
      .selectFrom('dossiers')
      .select(['vehicle_kind', 'vehicle_id'])
      .execute();
    expect(rows).toEqual(
      spellings.map(() => ({ vehicle_kind: 'motorbike', vehicle_id: '90B112345' })),
    );
    const car = await submit(
      agent,
      { ...base, vehicle_kind: 'car', vehicle_id: '30e12345' },
      'LOCAL-DKX-SANG',
    );
    expect(car.status).toBe(303);
    const page = await agent.get(car.headers.location!);
    expect(page.text).toContain('30E-123.45');
  });

  it('records frame and engine numbers, brand and colour at a first registration, where no plate exists yet', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const form = await openForm(agent, 'LOCAL-DKX-MT');
    expect(form.html).toContain('name="vehicle_frame_no"');
    const base = await validIntake(t.ctx, {
      procedure_code: 'LOCAL-DKX-MT',
      documents: await documentIds(t.ctx, 'LOCAL-DKX-MT'),
      vehicle_kind: 'motorbike',
    });
    const missing = await submit(agent, base, 'LOCAL-DKX-MT');
    expect(missing.status).toBe(422);
    for (const message of [
      'Nhập số khung (đăng ký lần đầu).',
      'Nhập số máy (đăng ký lần đầu).',
      'Nhập nhãn hiệu xe (đăng ký lần đầu).',
      'Nhập màu sơn (đăng ký lần đầu).',
    ])
      expect(missing.text).toContain(message);
    expect(missing.text).not.toContain('Nhập biển số xe.');
    const ok = await submit(
      agent,
      {
        ...base,
        vehicle_frame_no: 'rlhjc 5210 ky123456',
        vehicle_engine_no: 'JC52E-1234567',
        vehicle_brand: 'Honda Vision',
        vehicle_colour: 'Đỏ đen',
      },
      'LOCAL-DKX-MT',
    );
    expect(ok.status).toBe(303);
    expect(
      await t.ctx.db
        .selectFrom('dossiers')
        .select([
          'vehicle_id',
          'vehicle_frame_no',
          'vehicle_engine_no',
          'vehicle_brand',
          'vehicle_colour',
          'due_on',
        ])
        .executeTakeFirst(),
    ).toEqual({
      vehicle_id: null,
      vehicle_frame_no: 'RLHJC5210KY123456',
      vehicle_engine_no: 'JC52E1234567',
      vehicle_brand: 'Honda Vision',
      vehicle_colour: 'Đỏ đen',
      due_on: '2026-03-12',
    });
    const receipt = await agent.get(ok.headers.location!);
    expect(receipt.text).toContain('số khung RLHJC5210KY123456');
    const code = (await t.ctx.db.selectFrom('dossiers').select('code').executeTakeFirstOrThrow())
      .code!;
    const page = await agent.get(`/ho-so/${encodeURIComponent(code)}`);
    expect(page.text).toContain('RLHJC5210KY123456');
    expect(page.text).toContain('Honda Vision');
    expect(page.text).toContain('chưa có biển số');
  });

  it('finds a dossier by its plate however the search is typed, and by frame number (page and API)', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const base = await validIntake(t.ctx, {
      procedure_code: 'LOCAL-DKX-SANG',
      documents: await documentIds(t.ctx, 'LOCAL-DKX-SANG', 'required'),
      vehicle_kind: 'motorbike',
    });
    await submit(agent, { ...base, vehicle_id: '90-B1 123.45' }, 'LOCAL-DKX-SANG');
    const other = await validIntake(t.ctx, {
      procedure_code: 'LOCAL-DKX-SANG',
      documents: await documentIds(t.ctx, 'LOCAL-DKX-SANG', 'required'),
      vehicle_kind: 'car',
      applicant_name: 'Trần Văn Bình',
    });
    await submit(agent, { ...other, vehicle_id: '29A-678.90' }, 'LOCAL-DKX-SANG');
    const code = (
      await t.ctx.db
        .selectFrom('dossiers')
        .select('code')
        .where('vehicle_id', '=', '90B112345')
        .executeTakeFirstOrThrow()
    ).code!;
    for (const typed of ['90B1-123.45', '90b1 12345', '90-B1 123.45']) {
      const res = await agent.get('/ho-so').query({ q: typed });
      expect(res.status, typed).toBeLessThan(400);
      const html = res.status === 303 ? (await agent.get(res.headers.location!)).text : res.text;
      expect(html, typed).toContain(code);
      expect(html, typed).not.toContain('Trần Văn Bình');
    }
    const first = await validIntake(t.ctx, {
      procedure_code: 'LOCAL-DKX-MT',
      documents: await documentIds(t.ctx, 'LOCAL-DKX-MT'),
      vehicle_kind: 'motorbike',
      applicant_name: 'Lê Thị Cúc',
    });
    await submit(
      agent,
      {
        ...first,
        vehicle_frame_no: 'RLHJC5210KY123456',
        vehicle_engine_no: 'JC52E1234567',
        vehicle_brand: 'Honda',
        vehicle_colour: 'Trắng',
      },
      'LOCAL-DKX-MT',
    );
    const api = await agent.get('/api/v1/dossiers').query({ q: 'rlhjc5210ky123456' });
    expect(api.status).toBe(200);
    expect(JSON.stringify(api.body)).toContain('Lê Thị Cúc');
    expect(JSON.stringify(api.body)).not.toContain('Trần Văn Bình');
  });

  it('answers an unknown procedure and a missing outcome with 422', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const unknown = await submit(agent, await validIntake(t.ctx, { procedure_code: '9.999999' }));
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Không có thủ tục này');
    const noOutcome = await submit(agent, await validIntake(t.ctx, { outcome: '' }));
    expect(noOutcome.status).toBe(422);
    expect(noOutcome.text).toContain('Chọn kết quả kiểm tra hồ sơ');
  });
});

describe('guiding to supplement and refusing at the counter', () => {
  it('guides: no code, no clock, a supplement slip listing what is missing', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const required = await documentIds(t.ctx, '1.004222', 'required');
    const res = await submit(
      agent,
      {
        procedure_code: '1.004222',
        outcome: 'guide',
        documents: required.slice(0, 1),
        applicant_name: 'Lê Thị Cúc',
        phone: '0987654321',
      },
      '1.004222',
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/ho-so\/\d+\/phieu\/supplement$/);
    const dossier = await t.ctx.db.selectFrom('dossiers').selectAll().executeTakeFirstOrThrow();
    expect(dossier).toMatchObject({
      code: null,
      status: 'guided',
      intake_outcome: 'guided',
      due_on: null,
      lookup_key_hash: null,
    });
    const slip = await agent.get(res.headers.location!);
    expect(slip.text).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(slip.text).toContain('Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp');
    expect(await t.ctx.db.selectFrom('code_sequences').selectAll().execute()).toEqual([]);
  });

  it('will not guide a dossier that has every document', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const res = await submit(agent, await validIntake(t.ctx, { outcome: 'guide' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Hồ sơ đã đủ giấy tờ bắt buộc');
  });

  it('refuses only with a specific reason, then prints the refusal slip', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const noReason = await submit(
      agent,
      await validIntake(t.ctx, { outcome: 'refuse', refusal_reason: 'ko' }),
    );
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Nêu rõ lý do từ chối');
    const res = await submit(
      agent,
      await validIntake(t.ctx, {
        outcome: 'refuse',
        refusal_reason: 'Không thuộc thẩm quyền giải quyết của đơn vị.',
      }),
    );
    expect(res.status).toBe(303);
    const slip = await agent.get(res.headers.location!);
    expect(slip.text).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(slip.text).toContain('Không thuộc thẩm quyền giải quyết của đơn vị.');
    expect(
      await t.ctx.db.selectFrom('dossiers').select(['status', 'code']).executeTakeFirst(),
    ).toEqual({ status: 'refused', code: null });
  });
});

describe('scanning the ID card (id_card_qr)', () => {
  const SCAN =
    '035090001234|168123456|Nguyễn Văn An|01051990|Nam|Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình|15062021';

  it('fills the form from a scan without JavaScript, on the intake URL, focus on the first empty field', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get('/ho-so/moi?thu-tuc=2.000200');
    const res = await agent
      .post('/ho-so/moi')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        procedure_code: '2.000200',
        form_token: 'tok-scan-0001',
        id_card_qr: SCAN,
        outcome: 'scan',
      });
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="Nguyễn Văn An"');
    expect(res.text).toContain('value="01/05/1990"');
    expect(res.text).toMatch(/<input id="phone" name="phone" autofocus/);
    expect(await t.ctx.db.selectFrom('dossiers').selectAll().execute()).toEqual([]);
  });

  it('accepts a dossier from a scan plus the papers (page and API)', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get('/ho-so/moi?thu-tuc=2.000200');
    const documents = await documentIds(t.ctx, '2.000200');
    const res = await agent
      .post('/ho-so/moi')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        procedure_code: '2.000200',
        form_token: 'tok-scan-0002',
        id_card_qr: SCAN,
        documents,
        outcome: 'accept',
      });
    expect(res.status).toBe(303);
    const row = await t.ctx.db
      .selectFrom('dossiers')
      .select(['applicant_name', 'personal_id', 'birth_date', 'sex', 'address'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      applicant_name: 'Nguyễn Văn An',
      personal_id: '035090001234',
      birth_date: '1990-05-01',
      sex: 'male',
      address: 'Thôn 3, xã Hòa Hậu, tỉnh Ninh Bình',
    });
    const { issueApiToken } = await import('../../src/accounts/accounts.service.js');
    const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'api', null);
    const api = await request(t.app)
      .post('/api/v1/dossiers')
      .set('authorization', `Bearer ${token}`)
      .send({ procedure_code: '2.000200', outcome: 'accept', documents, id_card_qr: SCAN });
    expect(api.status).toBe(201);
    expect(api.body.dossier.applicant).toMatchObject({
      name: 'Nguyễn Văn An',
      personal_id: '035090001234',
      sex: 'male',
    });
  });

  it('refuses a mismatched scan with a clear message and fills nothing', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get('/ho-so/moi?thu-tuc=2.000200');
    const bad = SCAN.replace('01051990', '01052001');
    const res = await agent
      .post('/ho-so/moi')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        procedure_code: '2.000200',
        form_token: 'tok-scan-0003',
        id_card_qr: bad,
        outcome: 'accept',
        documents: await documentIds(t.ctx, '2.000200'),
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('không khớp với ngày sinh');
    expect(res.text).not.toContain('value="Nguyễn Văn An"');
    expect(res.text).toMatch(/<input id="id_card_qr" name="id_card_qr"[^>]*autofocus/);
    const { issueApiToken } = await import('../../src/accounts/accounts.service.js');
    const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'api', null);
    const api = await request(t.app)
      .post('/api/v1/dossiers')
      .set('authorization', `Bearer ${token}`)
      .send({ procedure_code: '2.000200', outcome: 'accept', id_card_qr: 'not a card' });
    expect(api.status).toBe(422);
    expect(api.body.error.fields.id_card_qr).toContain('Mã QR không phải của thẻ căn cước');
  });
});
