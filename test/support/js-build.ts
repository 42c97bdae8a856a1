import path from 'node:path';
import { build } from 'esbuild';

/**
 * The processes the tests start (the server, the CLIs, the import's parsing child, the intake
 * worker) run as `npm start` runs the server: plain node on JavaScript, no TypeScript loader.
 * Starting each under tsx cost about 0.7 s of CPU more per process (its loader resolves and
 * transforms every module at each start), and the suite starts well over a hundred of them.
 *
 * test/support/global-setup.ts builds the sources once per vitest run with esbuild (the
 * transformer tsx itself uses; with `isolatedModules` and `verbatimModuleSyntax` each file
 * transpiles on its own, the same JavaScript `tsc` emits for `npm run build`, in under a second
 * instead of tsc's ~13 s) into dist/test-build/<pid>/ and names the folder in MOTCUA_JS_BUILD.
 * Without it (a script run with tsx outside vitest) the processes fall back to tsx.
 */
export const JS_BUILD_ENV = 'MOTCUA_JS_BUILD';

const root = path.resolve(import.meta.dirname, '../..');

/** The node arguments that run `entry` (a .ts path from the project root): built, or under tsx. */
export function nodeArgs(entry: string): string[] {
  const built = process.env[JS_BUILD_ENV];
  if (built) return [path.join(built, entry.replace(/\.ts$/, '.js'))];
  return ['--import', 'tsx', path.join(root, entry)];
}

/** Transpiles src/, migrations/, seeds/ and test/support/ into `outdir`, one file per file. */
export async function buildJs(outdir: string): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/**/*.ts', 'migrations/**/*.ts', 'seeds/**/*.ts', 'test/support/**/*.ts'],
    outdir,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
