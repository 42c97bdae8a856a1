import path from 'node:path';
import ts from 'typescript';

/**
 * The boundary rules of docs/ARCHITECTURE.md "Dependency rules" that look beyond one import:
 * features that import each other, rooms entered past their index, routes that reach a
 * repository through an index, services that take the whole context, and templates that hold
 * rules. Pure over source texts, like architecture-rules.ts, which runs them.
 */
export interface SourceFile {
  path: string;
  text: string;
}

export interface NamedImport {
  target: string;
  line: number;
  /** The names imported (or re-exported); '*' for a namespace import or `export *`. */
  names: string[] | '*';
  /** An `export … from` (a re-export) rather than an import. */
  reexport: boolean;
}

function resolve(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return path.posix
    .normalize(path.posix.join(path.posix.dirname(from), spec))
    .replace(/\.js$/, '.ts');
}

/** The run-time imports and re-exports of a file, with the names they carry. */
export function namedImports(file: SourceFile): NamedImport[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
  const found: NamedImport[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      if (clause?.isTypeOnly) continue;
      let names: string[] | '*' = [];
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) names = '*';
      else if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings))
        names = clause.namedBindings.elements
          .filter((e) => !e.isTypeOnly)
          .map((e) => (e.propertyName ?? e.name).text);
      if (clause?.name && names !== '*') names.push('default');
      if (clause && names !== '*' && names.length === 0) continue; // type-only in effect
      found.push({
        target: resolve(file.path, node.moduleSpecifier.text),
        line: lineOf(node),
        names,
        reexport: false,
      });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      !node.isTypeOnly
    ) {
      let names: string[] | '*' = '*';
      if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        names = node.exportClause.elements
          .filter((e) => !e.isTypeOnly)
          .map((e) => `${(e.propertyName ?? e.name).text}>${e.name.text}`);
        if (names.length === 0) continue;
      }
      found.push({
        target: resolve(file.path, node.moduleSpecifier.text),
        line: lineOf(node),
        names,
        reexport: true,
      });
    }
  }
  return found;
}

/** A feature's folder and, below it, its room (a sub-folder), if any. */
export function placeOf(file: string): { feature: string; room: string | null } | null {
  const m = /^src\/([^/]+)\/(?:([^/]+)\/)?[^/]+$/.exec(file);
  if (!m) {
    const deep = /^src\/([^/]+)\/([^/]+)\//.exec(file);
    return deep ? { feature: deep[1]!, room: deep[2]! } : null;
  }
  return { feature: m[1]!, room: m[2] ?? null };
}

const isRoutes = (file: string) => /\.(routes|api)\.ts$/.test(file);
const isRepository = (file: string) => file.endsWith('.repository.ts');

/**
 * Where each name an index exports comes from, following indexes down: `index.ts` → name →
 * the file that defines it.
 */
function exportSources(
  byPath: Map<string, NamedImport[]>,
): (index: string, name: string) => string[] {
  const memo = new Map<string, string[]>();
  const sourcesOf = (file: string, name: string, seen: Set<string>): string[] => {
    const key = `${file}#${name}`;
    if (memo.has(key)) return memo.get(key)!;
    if (seen.has(key)) return [];
    seen.add(key);
    const found: string[] = [];
    for (const re of (byPath.get(file) ?? []).filter((i) => i.reexport)) {
      if (re.names === '*') {
        found.push(
          ...(re.target.endsWith('/index.ts') ? sourcesOf(re.target, name, seen) : [re.target]),
        );
        continue;
      }
      for (const pair of re.names) {
        const [original, exported] = pair.split('>') as [string, string];
        if (exported !== name) continue;
        found.push(
          ...(re.target.endsWith('/index.ts') ? sourcesOf(re.target, original, seen) : [re.target]),
        );
      }
    }
    memo.set(key, found);
    return found;
  };
  return (index, name) => sourcesOf(index, name, new Set());
}

/** Finds the cycles of a graph (each once, as a path). */
export function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

export interface BoundaryOptions {
  features: readonly string[];
  pureFiles: readonly string[];
  /** Folders whose services must take what they use, never the whole context. */
  narrowFolders: readonly string[];
}

export function checkBoundaries(files: SourceFile[], options: BoundaryOptions): string[] {
  const problems: string[] = [];
  const src = files.filter((f) => f.path.startsWith('src/') && f.path.endsWith('.ts'));
  const known = new Set(src.map((f) => f.path));
  const imports = new Map(src.map((f) => [f.path, namedImports(f)]));
  const sourcesOf = exportSources(imports);
  const isFeature = (name: string) => options.features.includes(name);
  const pure = new Set(options.pureFiles);
  const featureGraph = new Map<string, Set<string>>();

  for (const file of src) {
    const from = placeOf(file.path);
    for (const i of imports.get(file.path) ?? []) {
      const where = `${file.path}:${i.line}`;
      if (file.path.startsWith('src/db/') && i.target.startsWith('seeds/'))
        problems.push(`${where}: db/ imports ${i.target} (db/ imports no seed)`);
      if (!known.has(i.target)) continue;
      const to = placeOf(i.target);
      // Features form a one-way graph: no two import each other, directly or around a loop.
      if (
        from &&
        to &&
        from.feature !== to.feature &&
        isFeature(from.feature) &&
        isFeature(to.feature)
      ) {
        if (!featureGraph.has(from.feature)) featureGraph.set(from.feature, new Set());
        featureGraph.get(from.feature)!.add(to.feature);
      }
      // A room is entered through its index (a pure file may import a pure file directly).
      if (to?.room) {
        const inside = from?.feature === to.feature && from.room === to.room;
        const viaIndex = i.target === `src/${to.feature}/${to.room}/index.ts`;
        const pureToPure = pure.has(file.path) && pure.has(i.target);
        if (!inside && !viaIndex && !pureToPure)
          problems.push(
            `${where}: imports ${i.target} past its room's index (src/${to.feature}/${to.room}/index.ts)`,
          );
      }
      // Routes parse and render: they call services, never a repository, even through an index.
      if (isRoutes(file.path) && !i.reexport) {
        if (isRepository(i.target))
          problems.push(`${where}: a route imports the repository ${i.target}`);
        else if (i.target.endsWith('/index.ts') && i.names !== '*') {
          for (const name of i.names)
            for (const source of sourcesOf(i.target, name))
              if (isRepository(source))
                problems.push(
                  `${where}: a route imports ${name} from the repository ${source} (through ${i.target})`,
                );
        }
      }
    }
    // Services take what they use (db, clock, a config slice), never the whole context.
    if (
      options.narrowFolders.some((f) => file.path.startsWith(f)) &&
      !isRoutes(file.path) &&
      /:\s*AppContext\b/.test(file.text)
    )
      problems.push(`${file.path}: takes the whole AppContext (take Deps<'db' | …> instead)`);
  }
  for (const cycle of cyclesOf(featureGraph))
    problems.push(`features import each other: ${cycle.join(' → ')}`);
  return problems;
}

/** Files a rule names that the tree no longer has: the list has drifted from the code. */
export function missingListedFiles(files: SourceFile[], lists: Record<string, readonly string[]>) {
  const known = new Set(files.map((f) => f.path));
  return Object.entries(lists).flatMap(([list, paths]) =>
    paths
      .filter((p) => !known.has(p))
      .map((p) => `${p}: named in ${list} but missing (the list has drifted)`),
  );
}

/**
 * Templates show what a view-model decided: no clock or time-zone arithmetic, no reading the
 * timeline to decide what to show, no rule's figure (a cut-off time) typed into the markup.
 */
const TEMPLATE_RULES: [RegExp, string][] = [
  [/new Date\(|Date\.now|getTime\(|3600/, 'computes with the clock or the time zone'],
  [
    /\bevents\.(find|some|filter|reverse)\(|\[\.\.\.events\]/,
    'derives a decision from the timeline',
  ],
  [
    /\b(1[0-9]|2[0-3]|0?[0-9]):[0-5][0-9]\b(?![^<]*placeholder)/,
    'types a time of day into the page',
  ],
];

export function checkTemplates(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files.filter((f) => f.path.startsWith('views/') && f.path.endsWith('.ejs'))) {
    file.text.split('\n').forEach((line, n) => {
      for (const [re, what] of TEMPLATE_RULES)
        if (re.test(line)) problems.push(`${file.path}:${n + 1}: the template ${what}`);
    });
  }
  return problems;
}
