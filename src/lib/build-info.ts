import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths.js';

export interface BuildInfo {
  version: string;
  /** The commit built, or 'unknown'. */
  commit: string;
}

/** The commit a `.git` folder (or a worktree's `.git` file) has checked out, or null. */
function commitOfCheckout(root: string): string | null {
  let gitDir = path.join(root, '.git');
  if (!fs.existsSync(gitDir)) return null;
  if (fs.statSync(gitDir).isFile()) {
    const pointer = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(gitDir, 'utf8'))?.[1]?.trim();
    if (!pointer) return null;
    gitDir = path.resolve(root, pointer);
  }
  const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
  if (!ref) return /^[0-9a-f]{40}$/.test(head) ? head : null;
  // A worktree keeps its HEAD apart but shares refs with the main repository.
  const common = fs.existsSync(path.join(gitDir, 'commondir'))
    ? path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim())
    : gitDir;
  for (const dir of [gitDir, common]) {
    const file = path.join(dir, ref);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  }
  const packed = path.join(common, 'packed-refs');
  if (!fs.existsSync(packed)) return null;
  const line = fs
    .readFileSync(packed, 'utf8')
    .split('\n')
    .find((l) => l.endsWith(` ${ref}`));
  return line?.split(' ')[0] ?? null;
}

/**
 * The version from package.json and the commit: GIT_COMMIT (or SOURCE_COMMIT) when the build
 * sets it (a container image has no .git), else the checkout's, else 'unknown'. Read once.
 */
export function readBuildInfo(env: Record<string, string | undefined> = process.env): BuildInfo {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    version?: string;
  };
  let commit = env.GIT_COMMIT || env.SOURCE_COMMIT || null;
  if (!commit) {
    try {
      commit = commitOfCheckout(projectRoot);
    } catch {
      commit = null;
    }
  }
  return { version: pkg.version ?? '0.0.0', commit: commit ? commit.slice(0, 12) : 'unknown' };
}
