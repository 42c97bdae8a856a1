import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { formatters } from '../lib/format.js';
import { projectRoot } from '../lib/paths.js';
import { vi } from '../locale/vi.js';
import type { PublicDossierView } from './lookup.service.js';

/** Every name the page and its partials (head, foot, due explanation) read. */
const LOCALS = [
  't',
  'fmt',
  'currentPath',
  'title',
  'bodyClass',
  'navItems',
  'flash',
  'account',
  'csrfToken',
  'calendarBanner',
  'view',
  'code',
  'key',
  'error',
  'ratingErrors',
  'notice',
  'explanation',
  'skippedRuns',
];

export interface LookupPageData {
  view?: PublicDossierView | null;
  code?: string;
  key?: string;
  error?: string | null;
  ratingErrors?: Record<string, string>;
  flash?: string | null;
}

/**
 * The citizen page (views/lookup/index.ejs) as a function of its data: compiled once in
 * production, not looked up and rendered through Express's view machinery per request; compiled
 * anew per page elsewhere, so an edited template shows at once in development. It gets what the
 * public view locals gave it: strings, formatters, no account, no navigation, no session flash.
 */
export function lookupPage(production: boolean): (data: LookupPageData) => string {
  const views = path.join(projectRoot, 'views');
  const file = path.join(views, 'lookup', 'index.ejs');
  const compile = () =>
    ejs.compile(fs.readFileSync(file, 'utf8'), {
      filename: file,
      root: views,
      views: [views],
      cache: production,
      // Its names declared once instead of a `with` block (which V8 cannot optimise), and in
      // production no line bookkeeping for error messages: the render took twice as long.
      _with: false,
      destructuredLocals: LOCALS,
      compileDebug: !production,
    });
  const compiled = production ? compile() : null;
  return (data) =>
    (compiled ?? compile())({
      t: vi,
      fmt: formatters,
      currentPath: '/tra-cuu',
      title: vi.lookup.title,
      bodyClass: 'citizen',
      navItems: [],
      flash: null,
      account: null,
      view: data.view ?? null,
      code: data.code ?? '',
      key: data.key ?? '',
      error: data.error ?? null,
      ratingErrors: data.ratingErrors ?? {},
      notice: data.flash ?? null,
    });
}
