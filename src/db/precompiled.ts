import type { Compilable, CompiledQuery } from 'kysely';
import type { Db, Tx } from './database.js';

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
 */
export function precompiled<Row, const Name extends string>(
  names: readonly Name[],
  build: (db: Db, values: Record<Name, never>) => Compilable<Row>,
): (db: Db | Tx, values: Record<Name, unknown>) => Promise<Row[]> {
  const markers = Object.fromEntries(names.map((n) => [n, `\u0000precompiled\u0000${n}`]));
  const compiledFor = new WeakMap<object, { query: CompiledQuery<Row>; slots: (Name | null)[] }>();
  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let entry = compiledFor.get(adapter);
    if (!entry) {
      const query = build(db, markers as Record<Name, never>).compile();
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
