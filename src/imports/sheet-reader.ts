import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SheetRow } from './tracking-book-reader.js';
import { detectFileKind } from './tracking-book-reader.js';
import { inspectZip } from './zip-inspect.js';

export type SheetFailure = 'too_large_unpacked' | 'out_of_memory' | 'timeout' | 'unreadable';

/** The file could not be read safely; `reason` says why, for a message in the report. */
export class SheetReadError extends Error {
  override name = 'SheetReadError';
  constructor(
    readonly reason: SheetFailure,
    detail = '',
  ) {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
  }
}

export interface SheetLimits {
  /** Heap of the parsing process. */
  memoryMb: number;
  timeoutMs: number;
  /** What an XLSX may declare it unpacks to. */
  maxUnpackedBytes: number;
}

/** Ratio past which one entry of over 1 MiB is taken for a bomb (real sheets compress ~5–20×). */
const MAX_RATIO = 200;

// Run from the TypeScript sources (`npm run import`) the child needs tsx; built, it is plain JS.
// The test suite runs the sources but builds them once to JavaScript for the processes it starts
// (test/support/js-build.ts) and names that build in MOTCUA_JS_BUILD: the child runs from it.
const fromSources = import.meta.url.endsWith('.ts');
const testBuild = fromSources ? process.env.MOTCUA_JS_BUILD : undefined;
const CHILD = testBuild
  ? join(testBuild, 'src', 'imports', 'sheet-process.js')
  : fileURLToPath(
      new URL(fromSources ? './sheet-process.ts' : './sheet-process.js', import.meta.url),
    );
const CHILD_LOADER = fromSources && !testBuild ? ['--import', 'tsx'] : [];

/**
 * Reads a tracking book's rows in a child process with a heap limit and a time limit, so a
 * hostile upload (a zip bomb, a sheet with a cell in its last column) costs that process, never
 * the server: the server keeps answering, and the check reports the file as too large. An XLSX
 * whose declared unpacked size or compression ratio is out of bounds is refused before parsing.
 */
export async function* readSheetIsolated(
  path: string,
  limits: SheetLimits,
): AsyncGenerator<SheetRow> {
  if ((await detectFileKind(path)) === 'xlsx') {
    const sizes = await inspectZip(path);
    if (
      sizes &&
      (sizes.zip64 || sizes.unpacked > limits.maxUnpackedBytes || sizes.worstRatio > MAX_RATIO)
    ) {
      throw new SheetReadError(
        'too_large_unpacked',
        `${sizes.unpacked} bytes declared, ratio ${Math.round(sizes.worstRatio)}`,
      );
    }
  }
  const child = fork(CHILD, [path], {
    execArgv: [...CHILD_LOADER, `--max-old-space-size=${limits.memoryMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  const queue: { rows?: SheetRow[]; done?: boolean; error?: string }[] = [];
  let failure: SheetReadError | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const timer = setTimeout(() => {
    failure ??= new SheetReadError('timeout');
    child.kill('SIGKILL');
  }, limits.timeoutMs);
  child.on('message', (message: { rows?: SheetRow[]; done?: boolean; error?: string }) => {
    queue.push(message);
    notify();
  });
  // 'close', not 'exit': it comes after the last message has been delivered.
  child.on('close', (code, signal) => {
    exited = true;
    clearTimeout(timer);
    if (code !== 0 && !failure) {
      const oom =
        /heap out of memory|Allocation failed/i.test(stderr) ||
        signal === 'SIGABRT' ||
        code === 134;
      failure = new SheetReadError(
        oom ? 'out_of_memory' : 'unreadable',
        stderr.split('\n').find((l) => l.trim()) ?? `exit ${code ?? signal}`,
      );
    }
    notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message) {
        if (message.error) throw new SheetReadError('unreadable', message.error);
        for (const row of message.rows ?? []) yield row;
        if (message.done) return;
        if (child.connected) child.send({ next: true });
        continue;
      }
      if (failure) throw failure;
      if (exited) throw new SheetReadError('unreadable', 'the reader stopped early');
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    clearTimeout(timer);
    if (!exited) child.kill('SIGKILL');
  }
}
