import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, DatabaseFileStore } from '../../src/files/database-store.js';
import {
  FileDamagedError,
  FileMissingError,
  hashStream,
  type FileStore,
} from '../../src/files/file-store.js';
import { FsFileStore } from '../../src/files/fs-store.js';
import { verifyStoredFiles } from '../../src/files/verify.service.js';
import { chromiumPdf } from '../support/file-fixtures.js';
import { createFilesApp, receive, type FilesApp } from '../support/files-helpers.js';
import { placeholders, rawSql, TEST_ENGINE } from '../support/test-app.js';
import { nodeArgs } from '../support/js-build.js';

const run = promisify(execFile);
let t: FilesApp;
afterEach(() => t?.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function spoolOf(bytes: Buffer): string {
  const file = path.join(t.filesDir, `spool-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Flips one byte of an object in the store, as a failing disk (or a hand in the database) would. */
async function flipByte(store: FileStore, digest: string, at: number): Promise<void> {
  if (store.kind === 'fs') {
    const file = path.join(t.filesDir, 'objects', digest.slice(0, 2), digest.slice(2, 4), digest);
    fs.chmodSync(file, 0o600);
    const bytes = fs.readFileSync(file);
    bytes[at]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    return;
  }
  const seq = Math.floor(at / CHUNK_BYTES);
  const [row] = await rawSql<{ data: Buffer }>(
    t.ctx,
    placeholders(t.ctx, 'select data from file_store_chunks where sha256 = ? and seq = ?'),
    [digest, seq],
  );
  const data = Buffer.from(row!.data);
  data[at % CHUNK_BYTES]! ^= 0x01;
  await rawSql(
    t.ctx,
    placeholders(t.ctx, 'update file_store_chunks set data = ? where sha256 = ? and seq = ?'),
    [data, digest, seq],
  );
}

describe.each(['fs', 'database'] as const)('the %s store', (kind) => {
  it('puts, reads back verified, walks, deletes; a put of the same bytes is a no-op', async () => {
    t = await createFilesApp(kind);
    const store =
      kind === 'fs'
        ? new FsFileStore(t.filesDir)
        : new DatabaseFileStore(t.ctx.db, () => new Date());
    const bytes = randomBytes(CHUNK_BYTES * 2 + 12_345);
    const digest = sha(bytes);
    await store.put(spoolOf(bytes), digest, bytes.length);
    await store.put(spoolOf(bytes), digest, bytes.length);
    expect(await store.verify(digest)).toBe('ok');
    expect(await store.has(digest)).toBe(true);
    expect(await hashStream(await store.get(digest))).toEqual({
      sha256: digest,
      size: bytes.length,
    });
    const other = randomBytes(100);
    await store.put(spoolOf(other), sha(other), other.length);
    const walked: string[] = [];
    for await (const o of store.walk()) walked.push(o.sha256);
    expect(walked).toEqual([digest, sha(other)].sort());
    await store.delete(digest);
    expect(await store.verify(digest)).toBe('missing');
    await expect(store.get(digest)).rejects.toBeInstanceOf(FileMissingError);
  });

  it('refuses to serve an object with a flipped byte, and a new put of the good bytes repairs it', async () => {
    t = await createFilesApp(kind);
    const store = t.ctx.fileStore;
    const bytes = randomBytes(CHUNK_BYTES + 5000);
    const digest = sha(bytes);
    await store.put(spoolOf(bytes), digest, bytes.length);
    await flipByte(store, digest, CHUNK_BYTES + 17);
    expect(await store.verify(digest)).toBe('damaged');
    await expect(store.get(digest)).rejects.toBeInstanceOf(FileDamagedError);
    await store.put(spoolOf(bytes), digest, bytes.length);
    expect(await store.verify(digest)).toBe('ok');
  });

  it('npm run files:verify finds a flipped byte (exit 1) and the API refuses that file (503)', async () => {
    t = await createFilesApp(kind);
    const d = await receive(t);
    const pdf = chromiumPdf();
    const up = await t.api.upload(d.code, d.components[0]!, [{ name: 'a.pdf', bytes: pdf }]);
    expect((await verifyStoredFiles(t.ctx.db, t.ctx.fileStore)).damaged).toEqual([]);
    await flipByte(t.ctx.fileStore, sha(pdf), 700);
    const report = await verifyStoredFiles(t.ctx.db, t.ctx.fileStore);
    expect(report.damaged).toEqual([{ id: 1, sha256: sha(pdf) }]);
    const served = await t.api.get(up.body.component.files[0].content_url);
    expect(served.status).toBe(503);
    expect(served.body.error.code).toBe('file_damaged');
    // The CLI, on a file database (SQLite) or the test's PostgreSQL database.
    if (TEST_ENGINE === 'sqlite') return;
    const url = (t.ctx.config as { databaseUrl: string }).databaseUrl;
    const env = { ...process.env, DATABASE_URL: url, FILES_STORE: kind, FILES_DIR: t.filesDir };
    const failed = await run(process.execPath, nodeArgs('src/files/verify-cli.ts'), {
      env,
    }).then(
      () => null,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain(`DAMAGED: stored file 1 (${sha(pdf)})`);
  });
});

describe.skipIf(TEST_ENGINE === 'postgres')('npm run files:verify on a SQLite installation', () => {
  it('reports every file intact, then the one whose byte was flipped, with exit code 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-verify-'));
    try {
      const file = path.join(dir, 'motcua.db');
      const filesDir = path.join(dir, 'files');
      const env = {
        ...process.env,
        DATABASE_URL: `file:${file}`,
        FILES_DIR: filesDir,
        NODE_ENV: 'test',
      };
      await run(process.execPath, nodeArgs('src/db/migrate-cli.ts'), { env });
      await run(process.execPath, nodeArgs('seeds/cli.ts'), { env }).catch(() => null);
      const { loadConfig } = await import('../../src/config.js');
      const { createAppContext } = await import('../../src/context.js');
      const pino = (await import('pino')).default;
      const ctx = createAppContext(
        loadConfig({ NODE_ENV: 'test', DATABASE_URL: `file:${file}`, FILES_DIR: filesDir }),
        {
          logger: pino({ level: 'silent' }),
        },
      );
      const bytes = chromiumPdf();
      const digest = sha(bytes);
      const spool = path.join(dir, 'spool.pdf');
      fs.writeFileSync(spool, bytes);
      await ctx.fileStore.put(spool, digest, bytes.length);
      const office = await ctx.db.selectFrom('offices').select('id').executeTakeFirstOrThrow();
      await ctx.db
        .insertInto('stored_files')
        .values({
          sha256: digest,
          size: bytes.length,
          content_type: 'application/pdf',
          pages: 3,
          charged_office_id: office.id,
          created_at: new Date().toISOString(),
        })
        .execute();
      await ctx.destroy();
      const ok = await run(process.execPath, nodeArgs('src/files/verify-cli.ts'), {
        env,
      });
      expect(ok.stdout).toContain('All stored files are intact.');
      const object = path.join(filesDir, 'objects', digest.slice(0, 2), digest.slice(2, 4), digest);
      fs.chmodSync(object, 0o600);
      const flipped = fs.readFileSync(object);
      flipped[1000]! ^= 0x40;
      fs.writeFileSync(object, flipped);
      const failed = await run(process.execPath, nodeArgs('src/files/verify-cli.ts'), {
        env,
      }).then(
        () => null,
        (err: { code: number; stdout: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stdout).toContain(
        `DAMAGED: stored file 1 (${digest}) does not match its checksum`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
