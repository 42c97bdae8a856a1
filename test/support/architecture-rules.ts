import path from 'node:path';
import ts from 'typescript';
import { checkBoundaries, checkTemplates } from './architecture-boundaries.js';

/**
 * The dependency and ownership rules of docs/ARCHITECTURE.md, checked over source texts with the
 * TypeScript compiler's parser. Pure: given files (path relative to the repository and text), it
 * returns the violations, so a test can run it on the real tree and on a planted violation.
 */
export interface SourceFile {
  path: string;
  text: string;
}

export const FEATURES = [
  'accounts',
  'audit',
  'calendar',
  'dossiers',
  'health',
  'imports',
  'lookup',
  'offices',
  'procedures',
  'reports',
  'retention',
  'units',
  'notifications',
  'queue',
  'succession',
  'payments',
  'files',
  'metrics',
  'scorecard',
  'online',
] as const;

/** Which feature writes each table; no other feature's repository may. */
export const TABLE_OWNERS: Record<string, (typeof FEATURES)[number]> = {
  accounts: 'accounts',
  api_tokens: 'accounts',
  sessions: 'accounts',
  offices: 'offices',
  procedures: 'procedures',
  procedure_documents: 'procedures',
  report_groups: 'procedures',
  procedure_step_plans: 'procedures',
  calendar_days: 'calendar',
  calendar_years: 'calendar',
  calendar_rules: 'calendar',
  dossiers: 'dossiers',
  dossier_documents: 'dossiers',
  dossier_events: 'dossiers',
  code_sequences: 'dossiers',
  dossier_steps: 'dossiers',
  form_registers: 'dossiers',
  dossier_forms: 'dossiers',
  ratings: 'lookup',
  lookup_events: 'lookup',
  login_attempts: 'accounts',
  access_events: 'audit',
  audit_events: 'audit',
  imports: 'imports',
  import_turns: 'imports',
  processing_units: 'units',
  unit_members: 'units',
  notifications: 'notifications',
  notification_templates: 'notifications',
  service_groups: 'queue',
  service_group_procedures: 'queue',
  counters: 'queue',
  counter_groups: 'queue',
  ticket_sequences: 'queue',
  appointments: 'queue',
  appointment_slots: 'queue',
  appointment_holds: 'queue',
  appointment_days: 'queue',
  tickets: 'queue',
  queue_events: 'queue',
  fee_rules: 'payments',
  payments: 'payments',
  payment_events: 'payments',
  receipt_sequences: 'payments',
  receipts: 'payments',
  payment_callbacks: 'payments',
  bank_statements: 'payments',
  bank_statement_lines: 'payments',
  report_daily: 'reports',
  report_monthly: 'reports',
  scorecard_daily: 'scorecard',
  scorecard_monthly: 'scorecard',
  scorecard_files: 'scorecard',
  stored_files: 'files',
  dossier_files: 'files',
  file_quotas: 'files',
  file_store_objects: 'files',
  file_store_chunks: 'files',
  online_dossiers: 'online',
  online_dossier_files: 'online',
  portal_sync_streams: 'online',
  portal_sync_rows: 'online',
};

/** Pure domain files: no I/O, no Express, no clock of their own. */
export const PURE_FILES = [
  'src/calendar/working-days.ts',
  'src/calendar/calendar-grid.ts',
  'src/calendar/working-hours.ts',
  'src/dossiers/record/dossier-status.ts',
  'src/dossiers/record/dossier-code.ts',
  'src/dossiers/record/due-explanation.ts',
  'src/dossiers/record/personal-id.ts',
  'src/dossiers/record/applicant-fields.ts',
  'src/dossiers/record/report-category.ts',
  'src/dossiers/record/slip-kinds.ts',
  'src/dossiers/actions/action-table.ts',
  'src/dossiers/actions/planners.ts',
  'src/dossiers/actions/post-planners.ts',
  'src/dossiers/record/postal-tracking.ts',
  'src/dossiers/actions/allowed.ts',
  'src/dossiers/policy/dossier-policy.ts',
  'src/dossiers/handover/step-timing.ts',
  'src/dossiers/handover/handover-rules.ts',
  'src/dossiers/slips/slip-rules.ts',
  'src/dossiers/slips/slip-view.ts',
  'src/dossiers/slips/head-signature.ts',
  'src/dossiers/slips/register-suffix.ts',
  'src/notifications/message-rules.ts',
  'src/online/portal-status.ts',
  'src/queue/queue-rules.ts',
  'src/queue/queue-report.ts',
  'src/queue/stream-gate.ts',
  'src/reports/step-tally.ts',
  'src/reports/report-tally.ts',
  'src/lib/vietnam-time.ts',
  'src/lib/fold.ts',
  'src/lib/phone.ts',
  'src/lib/percentile.ts',
  'src/online/channels-tally.ts',
  'src/procedures/step-plan.ts',
  'src/procedures/procedure-rank.ts',
  'src/offices/office-settings.ts',
  'src/payments/vietqr.ts',
  'src/payments/amount-words.ts',
  'src/payments/fee-rules.ts',
  'src/payments/payment-states.ts',
  'src/payments/callback-signature.ts',
  'src/payments/statement-match.ts',
  'src/payments/fee-tally.ts',
  'src/files/reuse-rules.ts',
  'src/files/file-access.ts',
  'src/files/digitisation-tally.ts',
  'src/scorecard/indicators.ts',
  'src/scorecard/periods.ts',
  'src/dossiers/record/vehicle-plate.ts',
  'src/lib/csv.ts',
  'src/lib/format.ts',
  'src/lib/xlsx-cells.ts',
  'src/lib/utf8-builder.ts',
  'src/reports/tracking-book-encoding.ts',
];
/** Features whose services take what they use (`Deps<…>`), never the whole context. */
export const NARROW_FOLDERS = ['src/dossiers/', 'src/queue/'];
/** What a pure file may import at run time besides other pure files. */
const PURE_MAY_IMPORT = [/^src\/errors\.ts$/, /^src\/locale\//, /^node:crypto$/];

/** Files allowed past 400 lines (as Prettier prints them), each with its reason in docs/ARCHITECTURE.md. */
export const LONG_FILES = ['src/imports/tracking-book-row.ts'];
const MAX_LINES = 400;
/** The design notes' folder beside the repository, which users do not have (spelled so this file does not name it). */
const OUTSIDE = ['..', 'shared'].join('/');

// Letters that only Vietnamese text has (ă â đ ê ô ơ ư and the tone-marked vowels).
const VIETNAMESE = /[ăâđêôơưĂÂĐÊÔƠƯ\u1EA0-\u1EF9àáãèéìíòóõùúýÀÁÃÈÉÌÍÒÓÕÙÚÝ]/;
const SQL_CALL =
  /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql`|\bsql<[^>]*>`/;
const WRITE_CALL = /\.(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*'([a-z_]+)/g;

interface Import {
  target: string;
  line: number;
}

function featureOf(file: string): string | null {
  const m = /^src\/([^/]+)\//.exec(file);
  return m && (FEATURES as readonly string[]).includes(m[1]!) ? m[1]! : null;
}

/** The run-time imports of a file (type-only imports vanish when compiled, so they make no cycle). */
function runtimeImports(file: SourceFile): Import[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  const add = (spec: string, node: ts.Node) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (spec.startsWith('.')) {
      const resolved = path.posix
        .normalize(path.posix.join(path.posix.dirname(file.path), spec))
        .replace(/\.js$/, '.ts');
      found.push({ target: resolved, line });
    } else found.push({ target: spec, line });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (!!clause &&
          !clause.name &&
          !!clause.namedBindings &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) add(node.moduleSpecifier.text, node);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly =
        node.isTypeOnly ||
        (!!node.exportClause &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) add(node.moduleSpecifier.text, node);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** String and template literal texts with their line numbers. */
function stringLiterals(file: SourceFile): { text: string; line: number }[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
  const found: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      found.push({
        text: node.text,
        line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Finds the import cycles among `graph`'s nodes (each cycle once, as a path). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

export function checkArchitecture(files: SourceFile[]): string[] {
  const problems: string[] = [];
  const src = files.filter((f) => f.path.startsWith('src/') && f.path.endsWith('.ts'));
  const known = new Set(src.map((f) => f.path));
  const graph = new Map<string, string[]>();

  for (const file of src) {
    const imports = runtimeImports(file);
    graph.set(
      file.path,
      imports.map((i) => i.target).filter((t) => known.has(t)),
    );
    const feature = featureOf(file.path);
    const where = (i: Import) => `${file.path}:${i.line}`;
    for (const i of imports) {
      const targetFeature = featureOf(i.target);
      if (
        file.path.startsWith('src/lib/') &&
        i.target.startsWith('src/') &&
        !i.target.startsWith('src/lib/') &&
        !i.target.startsWith('src/locale/')
      ) {
        problems.push(`${where(i)}: lib/ imports ${i.target} (lib/ imports no feature)`);
      }
      if (file.path.startsWith('src/db/') && (i.target.startsWith('src/http/') || targetFeature)) {
        problems.push(`${where(i)}: db/ imports ${i.target} (db/ imports no http/ and no feature)`);
      }
      if (
        i.target.endsWith('.repository.ts') &&
        targetFeature &&
        targetFeature !== feature &&
        file.path !== 'src/context.ts'
      ) {
        problems.push(
          `${where(i)}: ${feature ?? 'kernel'} imports ${i.target}, another feature's repository`,
        );
      }
      if (PURE_FILES.includes(file.path)) {
        const allowed =
          PURE_FILES.includes(i.target) || PURE_MAY_IMPORT.some((re) => re.test(i.target));
        if (!allowed) problems.push(`${where(i)}: pure file imports ${i.target}`);
      }
    }
    if (
      PURE_FILES.includes(file.path) &&
      /\bDate\.now\(|new Date\(\)|Math\.random\(/.test(file.text)
    ) {
      problems.push(`${file.path}: pure file reads the clock or a random source of its own`);
    }
    const isRepository = file.path.endsWith('.repository.ts');
    if (!isRepository && !file.path.startsWith('src/db/') && SQL_CALL.test(file.text)) {
      problems.push(`${file.path}: SQL outside a repository`);
    }
    if (isRepository) {
      for (const m of file.text.matchAll(WRITE_CALL)) {
        const owner = TABLE_OWNERS[m[2]!];
        if (owner !== feature)
          problems.push(`${file.path}: writes table ${m[2]} owned by ${owner ?? 'nobody'}`);
      }
    }
    if (!file.path.startsWith('src/locale/')) {
      for (const s of stringLiterals(file))
        if (VIETNAMESE.test(s.text))
          problems.push(
            `${file.path}:${s.line}: UI text outside src/locale/: "${s.text.slice(0, 40)}"`,
          );
    }
    const lines = file.text.split('\n').length;
    if (lines > MAX_LINES && !LONG_FILES.includes(file.path))
      problems.push(`${file.path}: ${lines} lines (over ${MAX_LINES})`);
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${cycle.join(' → ')}`);
  problems.push(
    ...checkBoundaries(files, {
      features: FEATURES,
      pureFiles: PURE_FILES,
      narrowFolders: NARROW_FOLDERS,
    }),
    ...checkTemplates(files),
  );
  for (const file of files)
    if (file.text.includes(OUTSIDE))
      problems.push(`${file.path}: points outside the repository (${OUTSIDE})`);
  return problems;
}
