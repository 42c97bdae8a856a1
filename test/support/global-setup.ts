import fs from 'node:fs';
import path from 'node:path';
import { buildJs, JS_BUILD_ENV } from './js-build.js';

/**
 * Once per vitest run, before any test file: the sources built to JavaScript for the processes
 * the tests start (js-build.ts), in dist/test-build/<pid>/, removed at the end. Both projects
 * list this file; the second finds the work done.
 */
const root = path.resolve(import.meta.dirname, '../..');

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env[JS_BUILD_ENV]) return undefined;
  const builds = path.join(root, 'dist', 'test-build');
  removeAbandoned(builds);
  const dir = path.join(builds, String(process.pid));
  fs.rmSync(dir, { recursive: true, force: true });
  await buildJs(dir);
  process.env[JS_BUILD_ENV] = dir;
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env[JS_BUILD_ENV];
  };
}

/** Builds left by runs that were killed before their teardown (their process is gone). */
function removeAbandoned(builds: string): void {
  if (!fs.existsSync(builds)) return;
  for (const name of fs.readdirSync(builds)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    fs.rmSync(path.join(builds, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
