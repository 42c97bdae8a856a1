import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingListedFiles } from '../support/architecture-boundaries.js';
import {
  checkArchitecture,
  LONG_FILES,
  PURE_FILES,
  type SourceFile,
} from '../support/architecture-rules.js';

const root = new URL('../../', import.meta.url).pathname;

/** Every tracked or new text file of the repository (what a clone has). */
function repositoryFiles(): SourceFile[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  return listed
    .filter(
      (p) =>
        /\.(ts|ejs|md|json|js|css|sh)$|^\.ci\/|^Dockerfile$/.test(p) && p !== 'package-lock.json',
    )
    .flatMap((p) => {
      try {
        return [{ path: p, text: readFileSync(`${root}${p}`, 'utf8') }];
      } catch {
        return []; // deleted in the working tree
      }
    });
}

describe('the architecture rules (docs/ARCHITECTURE.md)', () => {
  it('hold for the whole tree', () => {
    expect(checkArchitecture(repositoryFiles())).toEqual([]);
  });

  it('name only files the tree has (the lists cannot drift)', () => {
    const lists = { PURE_FILES, LONG_FILES, NARROW_FOLDERS: [] };
    expect(missingListedFiles(repositoryFiles(), lists)).toEqual([]);
    const planted = missingListedFiles(repositoryFiles(), {
      PURE_FILES: [...PURE_FILES, 'src/dossiers/dossier-actions.ts'],
    });
    expect(planted).toEqual([
      'src/dossiers/dossier-actions.ts: named in PURE_FILES but missing (the list has drifted)',
    ]);
  });

  const base: SourceFile[] = [
    {
      path: 'src/lib/format.ts',
      text: "import { vi } from '../locale/vi.js';\nexport const x = vi;\n",
    },
    { path: 'src/locale/vi.ts', text: "export const vi = { hello: 'Xin chào' };\n" },
    {
      path: 'src/dossiers/dossiers.repository.ts',
      text: "export const f = (tx) => tx.insertInto('dossiers').values({}).execute();\n",
    },
    {
      path: 'src/dossiers/dossiers.service.ts',
      text: "import { f } from './dossiers.repository.js';\nexport const g = f;\n",
    },
    { path: 'src/dossiers/record/dossier-status.ts', text: 'export const s = 1;\n' },
    {
      path: 'src/dossiers/record/index.ts',
      text: "export { s } from './dossier-status.js';\nexport { f } from '../dossiers.repository.js';\n",
    },
    {
      path: 'src/dossiers/workflow/workflow.service.ts',
      text: "import { s } from '../record/index.js';\nexport const w = (ctx: Deps<'db'>) => s;\n",
    },
    {
      path: 'src/queue/tickets.service.ts',
      text: "import { s } from '../dossiers/record/index.js';\nexport const t = s;\n",
    },
    { path: 'views/dossiers/show.ejs', text: '<p><%= movedDate.after %></p>\n' },
  ];
  const plant = (path: string, text: string) =>
    checkArchitecture([...base.filter((f) => f.path !== path), { path, text }]);

  it('passes the clean miniature tree', () => {
    expect(checkArchitecture(base)).toEqual([]);
  });

  it.each([
    [
      'an import cycle',
      'src/dossiers/dossiers.repository.ts',
      "import { g } from './dossiers.service.js';\nexport const f = g;\n",
      'import cycle',
    ],
    [
      'lib/ importing a feature',
      'src/lib/format.ts',
      "import { g } from '../dossiers/dossiers.service.js';\nexport const x = g;\n",
      'lib/ imports',
    ],
    [
      'db/ importing http/',
      'src/db/database.ts',
      "import { a } from '../http/auth.js';\nexport const d = a;\n",
      'db/ imports',
    ],
    [
      'a pure file importing I/O',
      'src/dossiers/record/dossier-status.ts',
      "import fs from 'node:fs';\nexport const s = fs;\n",
      'pure file imports',
    ],
    [
      'a pure file reading the clock',
      'src/dossiers/record/dossier-status.ts',
      'export const s = Date.now();\n',
      'reads the clock',
    ],
    [
      "a feature importing another feature's repository",
      'src/reports/reports.service.ts',
      "import { f } from '../dossiers/dossiers.repository.js';\nexport const r = f;\n",
      "another feature's repository",
    ],
    [
      'SQL in a service',
      'src/reports/reports.service.ts',
      "export const r = (db) => db.selectFrom('dossiers').selectAll().execute();\n",
      'SQL outside a repository',
    ],
    [
      "a write to another feature's table",
      'src/imports/imports.repository.ts',
      "export const w = (tx) => tx.updateTable('dossiers').set({}).execute();\n",
      'owned by dossiers',
    ],
    [
      'UI text outside the locale',
      'src/dossiers/dossiers.service.ts',
      "export const m = 'Không tìm thấy hồ sơ';\n",
      'UI text outside',
    ],
    [
      'a pointer outside the repository',
      'README.md',
      `See ${['..', 'shared'].join('/')}/DESIGN.md\n`,
      'points outside',
    ],
    [
      'two features importing each other',
      'src/dossiers/dossiers.service.ts',
      "import { t } from '../queue/tickets.service.js';\nexport const g = t;\n",
      'features import each other: dossiers → queue → dossiers',
    ],
    [
      'db/ importing a seed',
      'src/db/seed-cli.ts',
      "import { seedDatabase } from '../../seeds/index.js';\nexport const x = seedDatabase;\n",
      'db/ imports no seed',
    ],
    [
      'a route importing a repository',
      'src/dossiers/dossiers.routes.ts',
      "import { f } from './dossiers.repository.js';\nexport const r = f;\n",
      'a route imports the repository',
    ],
    [
      'a route reaching a repository through an index',
      'src/dossiers/dossiers.routes.ts',
      "import { f } from './record/index.js';\nexport const r = f;\n",
      'a route imports f from the repository src/dossiers/dossiers.repository.ts',
    ],
    [
      'a room entered past its index',
      'src/dossiers/workflow/workflow.service.ts',
      "import { s } from '../record/dossier-status.js';\nexport const w = s;\n",
      "past its room's index",
    ],
    [
      'another feature entering a room past its index',
      'src/queue/tickets.service.ts',
      "import { s } from '../dossiers/record/dossier-status.js';\nexport const t = s;\n",
      "past its room's index",
    ],
    [
      'a service taking the whole context',
      'src/queue/tickets.service.ts',
      "import type { AppContext } from '../context.js';\nexport const t = (ctx: AppContext) => ctx.db;\n",
      'takes the whole AppContext',
    ],
    [
      'a template doing time-zone arithmetic',
      'views/dossiers/show.ejs',
      '<% const day = new Date(new Date(at).getTime() + 7 * 3600e3); %>\n',
      'computes with the clock or the time zone',
    ],
    [
      'a template deciding from the timeline',
      'views/dossiers/show.ejs',
      "<% const moved = events.find((e) => e.action === 'receive_supplement'); %>\n",
      'derives a decision from the timeline',
    ],
    [
      'a template typing a rule’s time of day',
      'views/dossiers/show.ejs',
      '<p>Nhận sau 15:00 trả ngày làm việc tiếp theo.</p>\n',
      'types a time of day',
    ],
    [
      'a file over 400 lines',
      'src/dossiers/dossiers.service.ts',
      'export const a = 1;\n'.repeat(401),
      'lines (over 400)',
    ],
  ])('fails on a planted violation: %s', (_name, path, text, expected) => {
    const problems = plant(path, text);
    expect(
      problems.some((p) => p.includes(expected)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('ignores type-only imports when looking for cycles', () => {
    const problems = plant(
      'src/dossiers/dossiers.repository.ts',
      "import type { g } from './dossiers.service.js';\nexport const f = 1;\n",
    );
    expect(problems).toEqual([]);
  });
});
