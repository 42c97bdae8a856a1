import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { inCi } from '../support/ci.js';
import { spawnServer } from '../support/server-process.js';

/** Debian's Chromium; playwright's own browser download cannot work on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM_PATH);

/**
 * `describe` for a browser suite. Without Chromium it is skipped with a clear message, except in
 * CI (CI=true), where a missing browser fails the run: a green CI always ran the browser tests.
 */
export function describeInBrowser(
  name: string,
  options: { timeout: number },
  suite: () => void,
): void {
  if (hasChromium) {
    describe(name, options, suite);
    return;
  }
  const missing = `browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium; .ci/run installs it)`;
  if (inCi()) {
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(`CI=true and the ${missing}`);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPED: ${name}: the ${missing}. ***\n`);
  describe.skip(name, options, suite);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The real server on a free port with a fresh database in a temporary folder. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-e2e-'));
  const server = await spawnServer(path.join(dataDir, 'e2e.db'), env);
  return {
    baseUrl: server.baseUrl,
    dataDir,
    async stop() {
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the page has loaded and painted twice. Chromium clears the focus when a page
 * reached through a URL with a fragment (…#so-hoa) finishes parsing and the fragment's element
 * cannot take the focus; a test that focuses a button before then may press Enter on nothing.
 * An `autofocus` element, too, takes the focus only in the first frame after load: a test that
 * types into it, or reads what has the focus, right after 'load' may find <body>.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

const AXE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core in the page: returns the serious and critical violations, with their targets. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{
            violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}
