import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resumedFormOf, resumeFieldsOf } from '../../src/http/resume.js';
import { validIntake } from '../support/factories.js';
import { formValues } from '../support/form-values.js';
import {
  createTestApp,
  csrfFrom,
  DEMO_PASSWORD,
  loginAs,
  type TestApp,
} from '../support/test-app.js';

/** Issue 28, item 6: a session that expires mid-form never loses the form. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ now: '2026-03-10T02:00:00Z' });
});
afterEach(() => t.close());

const count = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a form posted after its session expired (item 6)', () => {
  it('answers with the login keeping the typed values, then offers the same form to send', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const page = await agent.get('/ho-so/moi?thu-tuc=2.000200');
    const fields = {
      ...(await validIntake(t.ctx)),
      applicant_name: 'Lê Thị Ngọc Ánh',
      _csrf: csrfFrom(page.text),
      form_token: /name="form_token" value="([^"]+)"/.exec(page.text)![1],
    };
    // The session ends (idle, or the server's sessions were cleared) while the officer types.
    await t.ctx.db.deleteFrom('sessions').execute();
    const before = await count();
    const expired = await agent.post('/ho-so/moi').type('form').send(fields);
    expect(expired.status).toBe(401);
    expect(expired.text).toContain('Phiên đăng nhập đã hết hạn');
    expect(expired.text).toContain('name="resume_action" value="/ho-so/moi"');
    expect(await count()).toBe(before);

    const login = formValues(expired.text, '/dang-nhap');
    const resumed = await agent
      .post('/dang-nhap')
      .type('form')
      .send({ ...login, username: 'canbo', password: DEMO_PASSWORD });
    expect(resumed.status).toBe(200);
    expect(resumed.text).toContain('Gửi tiếp biểu mẫu đã nhập');
    const again = formValues(resumed.text, '/ho-so/moi');
    expect(again.applicant_name).toBe('Lê Thị Ngọc Ánh');
    expect(again._csrf).not.toBe(fields._csrf);
    expect(again.password).toBeUndefined();
    // The papers ticked travel as a list.
    const papers = [...resumed.text.matchAll(/name="documents" value="(\d+)"/g)].map((m) => m[1]);
    expect(papers).toEqual(fields.documents);

    const sent = await agent
      .post('/ho-so/moi')
      .type('form')
      .send(
        [...resumed.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
          .map(
            (m) =>
              `${encodeURIComponent(m[1]!)}=${encodeURIComponent(m[2]!.replace(/&#34;/g, '"').replace(/&amp;/g, '&'))}`,
          )
          .join('&'),
      );
    expect(sent.status, sent.text.slice(0, 300)).toBe(303);
    expect(await count()).toBe(before + 1);
    const made = await t.ctx.db
      .selectFrom('dossiers')
      .select('applicant_name')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(made.applicant_name).toBe('Lê Thị Ngọc Ánh');
  });

  it('keeps the form through a mistyped password too', async () => {
    const agent = request.agent(t.app);
    const expired = await agent
      .post('/ho-so/moi')
      .type('form')
      .send({ _csrf: 'stale', procedure_code: '2.000200', applicant_name: 'Nguyễn Văn An' });
    expect(expired.status).toBe(401);
    const login = formValues(expired.text, '/dang-nhap');
    const wrong = await agent
      .post('/dang-nhap')
      .type('form')
      .send({ ...login, username: 'canbo', password: 'sai-mat-khau' });
    expect(wrong.status).toBe(401);
    expect(formValues(wrong.text, '/dang-nhap').resume_fields).toBe(login.resume_fields);
  });

  it('never carries a password nor offers a form to another site', () => {
    expect(resumeFieldsOf({ _csrf: 'x', password: 'p', name: 'A', documents: ['1', '2'] })).toBe(
      JSON.stringify([
        ['name', 'A'],
        ['documents', '1'],
        ['documents', '2'],
      ]),
    );
    expect(resumeFieldsOf({ _csrf: 'x' })).toBeNull();
    const fields = JSON.stringify([['a', 'b']]);
    expect(resumedFormOf({ resume_action: '//evil.example/x', resume_fields: fields })).toBeNull();
    expect(
      resumedFormOf({ resume_action: 'https://evil.example', resume_fields: fields }),
    ).toBeNull();
    expect(resumedFormOf({ resume_action: '/ho-so/moi', resume_fields: '{"a":1}' })).toBeNull();
    expect(resumedFormOf({ resume_action: '/ho-so/moi', resume_fields: 'not json' })).toBeNull();
    expect(
      resumedFormOf({
        resume_action: '/ho-so/moi',
        resume_fields: JSON.stringify([['password', 'p']]),
      }),
    ).toBeNull();
    expect(resumedFormOf({ resume_action: '/ho-so/moi', resume_fields: fields })).toEqual({
      action: '/ho-so/moi',
      fields: [['a', 'b']],
    });
  });

  it('still refuses a forged API call or a logged-in forgery with 403', async () => {
    const agent = await loginAs(t.app, 'canbo');
    const forged = await agent
      .post('/ho-so/moi')
      .type('form')
      .send({ _csrf: 'forged', procedure_code: '2.000200' });
    expect(forged.status).toBe(403);
  });
});
