/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdf } from '../support/file-fixtures.js';
import {
  hasChromium,
  launchBrowser,
  seriousViolations,
  startServer,
  type RunningServer,
} from './browser-support.js';

const PASSWORD = 'MotCua@2026';
const PERSON = '035090001234';
const DIR = path.join(process.cwd(), 'test-results', 'e2e-reuse');

let server: RunningServer;
let browser: Browser;
let page: Page;

/**
 * Reuse at the counter in a real browser (issue 31): a person's proof of residence scanned on a
 * first dossier; the next intake for them, with the intake form's reuse box ticked as it comes,
 * fills that component from the earlier scan, and the dossier page shows it reused.
 */
describe.skipIf(!hasChromium)('reuse at intake in a real browser', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startServer({ FILES_DIR: DIR });
    browser = await launchBrowser();
    const context = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 1366, height: 900 },
    });
    page = await context.newPage();
    await page.goto(`${server.baseUrl}/dang-nhap`);
    await page.fill('#username', 'canbo');
    await page.fill('#password', PASSWORD);
    await page.press('#password', 'Enter');
    await page.waitForURL('**/ho-so/hom-nay');
    // The first dossier and its scan through the API with the page's session.
    const first = await page.evaluate(
      async ({ person, pdf }) => {
        const csrf = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
        const headers = { 'content-type': 'application/json', 'x-csrf-token': csrf };
        const procedure = await (await fetch('/api/v1/procedures/1.004222')).json();
        const docs = procedure.procedure.documents as { id: number; name: string }[];
        const res = await fetch('/api/v1/dossiers', {
          method: 'POST',
          headers,
          body: JSON.stringify({
            procedure_code: '1.004222',
            outcome: 'accept',
            documents: docs.map((d) => String(d.id)),
            applicant_name: 'Nguyễn Văn An',
            personal_id: person,
            birth_date: '1990-05-01',
            sex: 'male',
            phone: '0912345678',
            address: 'Thôn 3, xã Hòa Hậu',
            note: '',
          }),
        });
        const code = (await res.json()).dossier.code as string;
        const proof = docs.find((d) => /chứng minh chỗ ở hợp pháp/.test(d.name))!;
        const form = new FormData();
        form.append('component', String(proof.id));
        form.append('file', new File([new Uint8Array(pdf)], 'hop-dong.pdf'));
        const upload = await fetch(`/api/v1/dossiers/${code}/files`, {
          method: 'POST',
          headers: { 'x-csrf-token': csrf },
          body: form,
        });
        return { code, status: upload.status };
      },
      { person: PERSON, pdf: [...chromiumPdf()] },
    );
    expect(first.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  it('fills the new dossier’s proof of residence from the earlier scan as it is received', async () => {
    await page.goto(`${server.baseUrl}/ho-so/moi?thu-tuc=1.004194`);
    expect(await page.isChecked('input[name=reuse_papers]')).toBe(true);
    for (const box of await page.locator('input[name=documents]').all()) await box.check();
    await page.fill('#personal_id', PERSON);
    await page.fill('#applicant_name', 'Nguyễn Văn An');
    await page.fill('#birth_date', '01/05/1990');
    await page.selectOption('#sex', 'male');
    await page.fill('#phone', '0912345678');
    await page.fill('#address', 'Thôn 3, xã Hòa Hậu');
    await page.click('button[name=outcome][value=accept]');
    await page.waitForURL('**/phieu/receipt', { timeout: 30_000 });
    expect(await page.textContent('.flash')).toContain('Đã dùng lại 1 giấy tờ đã số hóa');
    const code = decodeURIComponent(/\/ho-so\/([^/]+)\/phieu/.exec(page.url())![1]!);

    await page.goto(`${server.baseUrl}/ho-so/${code}`);
    const proof = page.locator('#so-hoa .component', { hasText: 'chứng minh chỗ ở hợp pháp' });
    expect(await proof.first().textContent()).toContain('Dùng lại');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
