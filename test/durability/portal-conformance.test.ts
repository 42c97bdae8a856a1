import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/accounts/accounts.service.js';
import { accountNamed } from '../support/factories.js';
import { startFakePortal, type FakePortal } from '../support/fake-portal.js';
import type { FilesApp } from '../support/files-helpers.js';
import { freshDatabase as freshDatabaseFor } from '../support/fresh-database.js';
import { nodeArgs } from '../support/js-build.js';
import { delivery } from '../support/online.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { createTestContext } from '../support/test-app.js';
import { until } from '../support/wait.js';

/**
 * The conformance test of the national portal's sync across real processes (docs/DECISIONS.md
 * "Portal sync: at least once, keyed"): an online dossier delivered twice, accepted, handed over
 * twice, approved, its result ready and returned, while the portal goes down, the server
 * restarts and the sender (`npm run portal-sync`) is killed with SIGKILL in the middle of a
 * delivery the portal had taken. The fake portal must see each change's statuses in order,
 * exactly once in effect by idempotency key.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Resolves with the signal's name or the exit code once the process has ended. */
const exitOf = (child: ChildProcess) =>
  new Promise<unknown>((r) =>
    child.exitCode !== null || child.signalCode !== null
      ? r(child.signalCode ?? child.exitCode)
      : child.once('exit', (code, signal) => r(signal ?? code)),
  );

async function prepare(database: string) {
  const ctx = createTestContext(database);
  try {
    const tokenOf = async (name: string, scope?: 'portal') =>
      issueApiToken(
        ctx,
        (await accountNamed(ctx, name)).id,
        `conformance-${name}`,
        null,
        scope && { scope },
      );
    const canbo = await accountNamed(ctx, 'canbo');
    const unit = await ctx.db
      .selectFrom('processing_units')
      .select('id')
      .where('code', '=', 'QLHC')
      .where('office_id', '=', canbo.officeId)
      .executeTakeFirstOrThrow();
    return {
      body: await delivery({ ctx } as FilesApp),
      unit: String(unit.id),
      tokens: {
        portal: await tokenOf('canbo', 'portal'),
        canbo: await tokenOf('canbo'),
        xuly: await tokenOf('xuly'),
        pheduyet: await tokenOf('pheduyet'),
      },
    };
  } finally {
    await ctx.destroy();
  }
}

describe('the national portal sync across processes', () => {
  it('delivers every status of an online dossier in order, exactly once by key, across a portal outage, a server restart and a SIGKILL of the sender', async () => {
    const portal: FakePortal = await startFakePortal();
    cleanups.push(() => portal.close());
    const database = await freshDatabaseFor(cleanups, 'motcua-portal');
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-portal-files-'));
    cleanups.push(async () => fs.rmSync(filesDir, { recursive: true, force: true }));
    const { body, unit, tokens } = await prepare(database);
    // The web processes never send (PORTAL_SYNC_SENDER=off): the sender is its own process. A
    // short lease and backoff, so the test waits for the events and not for the defaults.
    const env = {
      PORTAL_SYNC_URL: portal.url,
      PORTAL_SYNC_TOKEN: 'portal-secret-token',
      PORTAL_SYNC_DSTCODE: 'H40',
      PORTAL_SYNC_SENDER: 'off',
      PORTAL_SYNC_RETRY_MAX_S: '0.2',
      PORTAL_SYNC_LEASE_S: '2',
      PORTAL_SYNC_TIMEOUT_S: '300',
      FILES_DIR: filesDir,
    };
    const servers: ServerProcess[] = [];
    const senders: ChildProcess[] = [];
    cleanups.push(async () => {
      for (const p of [...servers.map((s) => s.child), ...senders]) p.kill('SIGTERM');
      await Promise.all([...servers.map((s) => s.child), ...senders].map(exitOf));
    });
    const startServer = async () => {
      const server = await spawnServer(database, env);
      servers.push(server);
      return server;
    };
    const startSender = () => {
      const child = spawn(process.execPath, nodeArgs('src/online/sync-cli.ts'), {
        env: {
          ...process.env,
          ...env,
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
          DATABASE_URL: database.startsWith('postgres') ? database : `file:${database}`,
        },
        stdio: 'ignore',
      });
      senders.push(child);
      return child;
    };
    let server = await startServer();
    const call = async (token: string, method: string, url: string, json?: unknown) => {
      const res = await fetch(`${server.baseUrl}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const statuses = (service: 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC') =>
      portal
        .applied(service)
        .map((r) => (service === 'DongBoHoSoMC' ? r.TrangThaiHoSo : r.TrangThai));
    // Limits for a stuck run, not speed checks: five processes start and stop on a shared machine.
    const wait = (condition: () => boolean | Promise<boolean>, what: string) =>
      until(condition, what, { timeoutMs: 60_000 });
    const bothReached = (n: number) => () =>
      statuses('DongBoHoSoMC').length >= n && statuses('CapNhatTienDoHoSoMC').length >= n;
    const failedAttempts = () =>
      portal.requests.filter((r) => !r.accepted && r.body.service === 'DongBoHoSoMC').length;

    const firstSender = startSender();
    const first = await call(tokens.portal, 'POST', '/api/v1/online-dossiers', body);
    expect(first.status).toBe(201);
    const again = await call(tokens.portal, 'POST', '/api/v1/online-dossiers', body);
    expect([again.status, again.body.online_dossier.id]).toEqual([
      200,
      first.body.online_dossier.id,
    ]);
    const id = first.body.online_dossier.id as number;
    const accepted = await call(tokens.canbo, 'POST', `/api/v1/online-dossiers/${id}/accept`, {});
    expect(accepted.status).toBe(200);
    const code = accepted.body.dossier.code as string;
    const act = async (token: string, action: string, fields: Record<string, unknown> = {}) => {
      const detail = await call(token, 'GET', `/api/v1/dossiers/${code}`);
      const r = await call(token, 'POST', `/api/v1/dossiers/${code}/actions/${action}`, {
        version: detail.body.dossier.version,
        ...fields,
      });
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
    };
    await wait(bothReached(1), 'the receipt on the portal');

    // The portal goes down: the hand-over waits, tried and failed, across a server restart.
    portal.mode = 'down';
    await act(tokens.canbo, 'hand_over', { to_unit: unit, to_account: 'xuly' });
    await wait(() => failedAttempts() >= 1, 'a failed attempt while the portal is down');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = await startServer();
    await act(tokens.xuly, 'hand_over', { to_step: 'approval', to_account: 'pheduyet' });
    const failedBefore = failedAttempts();
    await wait(() => failedAttempts() > failedBefore, 'another failed attempt after the restart');

    // The portal comes back and takes the next change, but its answer never reaches the sender:
    // the sender is killed (SIGKILL) while it waits for it.
    const seen = portal.requests.length;
    portal.mode = 'hold';
    await wait(() => portal.requests.length > seen, 'a delivery the portal holds');
    const heldKey = portal.requests[seen]!.key;
    firstSender.kill('SIGKILL');
    expect(await exitOf(firstSender)).toBe('SIGKILL');
    portal.mode = 'ok';
    portal.release();

    // Another sender takes the stream when the dead one's lease runs out, and the dossier goes on.
    startSender();
    await act(tokens.pheduyet, 'approve', { note: 'Đồng ý.' });
    await act(tokens.canbo, 'mark_result_ready');
    await act(tokens.canbo, 'return_result', {
      returned_to: 'Nguyễn Văn An',
      returned_by: 'applicant',
    });
    await wait(bothReached(6), 'the return on the portal');
    await wait(
      async () =>
        (await call(tokens.canbo, 'GET', `/api/v1/online-dossiers/${id}`)).body.sync?.state ===
        'in_step',
      'the dossier in step with the portal',
    );

    const expected = ['2', '4', '4', '4', '9', '10'];
    expect(statuses('DongBoHoSoMC')).toEqual(expected);
    expect(statuses('CapNhatTienDoHoSoMC')).toEqual(expected);
    const keys = expected.map((_, i) => `${body.portal_code}.${i + 1}`);
    for (const service of ['DongBoHoSoMC', 'CapNhatTienDoHoSoMC'])
      expect(
        [
          ...new Set(
            portal.requests
              .filter((r) => r.body.service === service && r.accepted)
              .map((r) => r.key),
          ),
        ],
        service,
      ).toEqual(keys);
    expect(portal.applied('DongBoHoSoMC').every((r) => r.MaHoSo === body.portal_code)).toBe(true);
    // At least once: the change held at the SIGKILL came again (same key), and only it.
    expect(heldKey).toBe(keys[1]);
    expect(portal.repeatedKeys('DongBoHoSoMC')).toEqual([heldKey]);
    expect(portal.repeatedKeys('CapNhatTienDoHoSoMC')).toEqual([]);
  }, 240_000);
});
