import type { Compilable, CompiledQuery, Insertable, Selectable } from 'kysely';
import type { Db, Tx } from './database.js';
import type { Database } from './schema.js';
import { deferrable } from './deferred-writes.js';

/**
 * A query built and compiled once per database engine, then run with new values. Building a
 * Kysely query (nodes, visitor, compiler) costs more than running a small indexed statement:
 * reading the signed-in account on every request and the portal's facts of every intake were 9 %
 * of an intake's CPU (docs/BENCHMARKS.md, seventh round). The SQL text is the same each time, so
 * SQLite's statement cache and PostgreSQL's named statements find it too.
 *
 * `build` is given a marker per named parameter (a string nobody types) to put where the value
 * goes; each marker must become a parameter of the compiled statement, which is checked on the
 * first build. Other parameters (constants of the query) keep their compiled values.
 *
 * Kept per Kysely adapter: a transaction shares its database's, and the adapter decides the SQL.
 * `deferrable`: a write that may be sent with the transaction's next statement
 * (db/deferred-writes.ts); it then returns no rows.
 */
export function precompiled<Row, const Name extends string>(
  names: readonly Name[],
  build: (db: Db, values: Record<Name, never>) => Compilable<Row>,
  options: { deferrable?: boolean } = {},
): (db: Db | Tx, values: Record<Name, unknown>) => Promise<Row[]> {
  const markers = Object.fromEntries(names.map((n) => [n, `\u0000precompiled\u0000${n}`]));
  const compiledFor = new WeakMap<object, { query: CompiledQuery<Row>; slots: (Name | null)[] }>();
  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let entry = compiledFor.get(adapter);
    if (!entry) {
      const built = build(db, markers as Record<Name, never>).compile();
      const query = options.deferrable ? deferrable(built) : built;
      const slots = query.parameters.map((p) => names.find((n) => markers[n] === p) ?? null);
      const missing = names.filter((n) => !slots.includes(n));
      if (missing.length > 0)
        throw new Error(`precompiled query has no parameter for ${missing.join(', ')}`);
      entry = { query, slots };
      compiledFor.set(adapter, entry);
    }
    const { query, slots } = entry;
    const { rows } = await db.executeQuery<Row>({
      ...query,
      parameters: slots.map((slot, i) => (slot === null ? query.parameters[i] : values[slot])),
    });
    return rows;
  };
}

const isPlain = (v: unknown) => {
  const type = typeof v;
  return (
    v === null || type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean'
  );
};

/**
 * The row count and the columns with a value, in order (`2:a,b,c`), when every row has the same
 * ones and every value is plain; null otherwise.
 */
function shapeOf(rows: readonly object[]): string | null {
  let first: string | null = null;
  for (const row of rows) {
    let columns = '';
    for (const column in row) {
      const value = (row as Record<string, unknown>)[column];
      if (value === undefined) continue;
      if (!isPlain(value)) return null;
      columns += `,${column}`;
    }
    if (first === null) first = columns;
    else if (columns !== first) return null;
  }
  return first ? `${rows.length}:${first}` : null;
}

const MAX_SHAPES = 32;

/**
 * An INSERT of rows into `table` (optionally returning every column) whose SQL is compiled once
 * per engine and shape: Kysely leaves out the columns whose value is undefined, so the shape is
 * the row count and the columns with a value. Rows whose values are not all plain (a `sql`
 * expression, bytes, a date) and rows of differing columns go through Kysely as usual. The
 * intake's inserts (dossier, checklist, first step and event, the portal's rows) built by Kysely
 * each time were 6 % of its CPU. `deferrable`: the insert may be sent with the transaction's next
 * statement (db/deferred-writes.ts); it then returns no rows.
 */
export function precompiledInsert<T extends keyof Database & string>(
  table: T,
  options: { returningAll?: boolean; deferrable?: boolean } = {},
): (db: Db | Tx, rows: Insertable<Database[T]>[]) => Promise<Selectable<Database[T]>[]> {
  if (options.returningAll && options.deferrable)
    throw new Error('a deferrable insert returns nothing (db/deferred-writes.ts)');
  type Shape = { query: CompiledQuery<Selectable<Database[T]>>; slots: [number, string][] } | null;
  const shapesFor = new WeakMap<object, Map<string, Shape>>();
  const build = (db: Db | Tx, rows: Insertable<Database[T]>[]) => {
    const insert = (db as Db).insertInto(table).values(rows);
    return options.returningAll ? insert.returningAll() : insert;
  };
  const viaKysely = async (db: Db | Tx, rows: Insertable<Database[T]>[]) =>
    options.deferrable
      ? ((await db.executeQuery(deferrable(build(db, rows).compile()))).rows as never)
      : ((await build(db, rows).execute()) as never);
  return async (db, rows) => {
    const key = rows.length > 0 ? shapeOf(rows) : null;
    if (key === null) return viaKysely(db, rows);
    const adapter = db.getExecutor().adapter;
    let shapes = shapesFor.get(adapter);
    if (!shapes) shapesFor.set(adapter, (shapes = new Map()));
    let shape = shapes.get(key);
    if (shape === undefined) {
      // Markers in place of the values; the compiled parameters must be exactly those.
      const markers = new Map<string, [number, string]>();
      const columns = key.slice(key.indexOf(':') + 2).split(',');
      const markerRows = rows.map((_, i) =>
        Object.fromEntries(
          columns.map((c) => {
            const marker = `\u0000precompiled\u0000${i}\u0000${c}`;
            markers.set(marker, [i, c]);
            return [c, marker];
          }),
        ),
      );
      const built = build(db, markerRows as Insertable<Database[T]>[]).compile();
      const query = options.deferrable ? deferrable(built) : built;
      const slots = query.parameters.map((p) => markers.get(p as string));
      shape =
        slots.length === markers.size && slots.every((s) => s !== undefined)
          ? {
              query: query as CompiledQuery<Selectable<Database[T]>>,
              slots: slots as [number, string][],
            }
          : null; // not a plain VALUES list: Kysely each time
      if (shapes.size >= MAX_SHAPES) shapes.clear();
      shapes.set(key, shape);
    }
    if (shape === null) return viaKysely(db, rows);
    const { rows: returned } = await db.executeQuery({
      ...shape.query,
      parameters: shape.slots.map(([i, c]) => (rows[i] as Record<string, unknown>)[c]),
    });
    return returned as Selectable<Database[T]>[];
  };
}
