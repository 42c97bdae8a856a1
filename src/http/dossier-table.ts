import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { formatters } from '../lib/format.js';
import { projectRoot } from '../lib/paths.js';
import { vi } from '../locale/vi.js';

/** What views/partials/dossier-table.ejs shows: rows of dossiers, the list's total, its empty line. */
export interface DossierTableData {
  rows: readonly object[];
  total?: number;
  empty: string;
}

/**
 * The table of dossiers the counter board (five times), the search and the report's deadline
 * lists show, as a function the views call (`dossierTable({ rows, total, empty })`): compiled
 * with its names declared rather than in a `with` block, which V8 cannot optimise, and without
 * line bookkeeping in production, as the citizen page is (src/lookup/lookup-page.ts). Through
 * `include` it was a sixth of the board's CPU. Compiled anew per call outside production, so an
 * edited template shows at once.
 */
export function dossierTableRenderer(production: boolean): (data: DossierTableData) => string {
  const views = path.join(projectRoot, 'views');
  const file = path.join(views, 'partials', 'dossier-table.ejs');
  const compile = () =>
    ejs.compile(fs.readFileSync(file, 'utf8'), {
      filename: file,
      root: views,
      views: [views],
      _with: false,
      destructuredLocals: ['rows', 'total', 'empty', 't', 'fmt'],
      compileDebug: !production,
    });
  const compiled = production ? compile() : null;
  return (data) =>
    (compiled ?? compile())({
      rows: data.rows,
      total: data.total,
      empty: data.empty,
      t: vi,
      fmt: formatters,
    });
}
