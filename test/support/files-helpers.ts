import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed, validIntake } from './factories.js';
import { createTestApp, type TestApp } from './test-app.js';

/** An app for the file tests: the given store, a files folder of its own, and canbo's API token. */
export interface FilesApp extends TestApp {
  token: string;
  filesDir: string;
  api: {
    get(path: string): request.Test;
    post(path: string, body: unknown): request.Test;
    upload(
      ref: string,
      component: string,
      files: { name: string; bytes: Buffer }[],
      fields?: Record<string, string>,
    ): request.Test;
  };
}

export async function createFilesApp(
  store: 'fs' | 'database',
  env: Record<string, string> = {},
  now?: string,
): Promise<FilesApp> {
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-files-test-'));
  const t = await createTestApp({ now, env: { FILES_STORE: store, FILES_DIR: filesDir, ...env } });
  const token = await issueApiToken(t.ctx, (await accountNamed(t.ctx, 'canbo')).id, 'files', null);
  return tokenApp(t, token, filesDir);
}

/** The same helpers for another account's token. */
export function tokenApp(t: TestApp, token: string, filesDir: string): FilesApp {
  const auth = (r: request.Test) => r.set('authorization', `Bearer ${token}`);
  return {
    ...t,
    token,
    filesDir,
    close: async () => {
      await t.close();
      fs.rmSync(filesDir, { recursive: true, force: true });
    },
    api: {
      get: (p) => auth(request(t.app).get(p)),
      post: (p, body) => auth(request(t.app).post(p)).send(body as object),
      upload: (ref, component, files, fields = {}) => {
        let r = auth(
          request(t.app).post(`/api/v1/dossiers/${encodeURIComponent(ref)}/files`),
        ).field('component', component);
        for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
        for (const f of files) r = r.attach('file', f.bytes, f.name);
        return r;
      },
    },
  };
}

/** Receives a căn cước dossier through the API: its code, key and the component ids. */
export async function receive(t: FilesApp, overrides: Record<string, unknown> = {}) {
  const res = await t.api.post('/api/v1/dossiers', await validIntake(t.ctx, overrides));
  if (res.status !== 201)
    throw new Error(`intake failed: ${res.status} ${JSON.stringify(res.body)}`);
  const files = await t.api.get(`/api/v1/dossiers/${res.body.dossier.code}/files`);
  return {
    code: res.body.dossier.code as string,
    id: res.body.dossier.id as number,
    key: res.body.lookup_key as string,
    components: (files.body.components as { component: string; name: string }[]).map(
      (c) => c.component,
    ),
  };
}
