import pg from 'pg';
import {
  DataTypeNode,
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  type ColumnDefinitionNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './schema.js';
import { translatePgError } from './errors.js';
import { statementLog, type StatementObserver } from './statement-log.js';
import { DeferredWrites, type Statement } from './deferred-writes.js';

/**
 * The schema builder's `autoIncrement()` is SQLite's `integer primary key autoincrement`;
 * PostgreSQL spells an ever-growing key `serial`. Migrations are written once, for both engines.
 */
class SerialKeys extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const transformed = super.transformColumnDefinition(node);
    if (!transformed.autoIncrement) return transformed;
    return { ...transformed, autoIncrement: false, dataType: DataTypeNode.create('serial') };
  }
}

const serialKeysPlugin: KyselyPlugin = {
  transformQuery: (args: PluginTransformQueryArgs): RootOperationNode =>
    args.node.kind === 'CreateTableNode' ? new SerialKeys().transformNode(args.node) : args.node,
  transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> =>
    args.result,
};

// Counts and sums come back as int8/numeric, which node-postgres gives as strings (they may
// exceed 2^53); ours never do, and SQLite gives numbers, so both engines answer alike.
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

type Queryable = { query: (...args: unknown[]) => unknown };

/** Statements this process names (and so prepares once per connection), by their SQL text. */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 2_000;
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * node-postgres sends every query unnamed, so the server parses and plans it anew each time:
 * for our short statements that was a third of their time (measured: ~0.3 ms of parse and bind
 * per statement against well under that to run). A statement with parameters is given a name
 * derived from its text, so each connection prepares it once. Statements built with a varying
 * number of placeholders (`in (…)` lists) are distinct texts; past MAX_NAMED_STATEMENTS new ones
 * go unnamed, so a connection never holds an unbounded number.
 */
function named(args: unknown[]): unknown[] {
  const [text, values] = args;
  if (
    typeof text !== 'string' ||
    !Array.isArray(values) ||
    values.length === 0 ||
    !PREPARABLE.test(text)
  )
    return args;
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= MAX_NAMED_STATEMENTS) return args;
    name = `mc${statementNames.size.toString(36)}`;
    statementNames.set(text, name);
  }
  return [{ name, text, values }, ...args.slice(2)];
}

/** What of node-postgres's client the pipelined sending reads and sets (pg 8.23). */
interface PipelinedClient {
  pipeline?: boolean;
  readyForQuery?: boolean;
  _activeQuery?: unknown;
  _queryQueue?: unknown[];
  _sentQueryQueue?: unknown[];
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}

/** Whether the client has nothing in flight and knows pipeline mode, so it can switch into it. */
function canPipeline(client: PipelinedClient): boolean {
  return (
    typeof client.pipeline === 'boolean' &&
    client.readyForQuery === true &&
    !client._activeQuery &&
    client._queryQueue?.length === 0 &&
    client._sentQueryQueue?.length === 0
  );
}

/**
 * Every query of this client rejects with the neutral errors of db/errors.ts; a connection lost
 * while the client is checked out is logged (an 'error' without a listener would end the
 * process) and its query, if any, rejects as unavailable.
 *
 * A transaction's BEGIN and its deferred writes (db/deferred-writes.ts) wait for its next
 * statement whose answer is needed. When that makes several statements, they go in one write
 * and one round trip, in node-postgres's pipeline mode: each has its own Sync, so they run and
 * answer in order. The client is switched into that mode only while nothing else is in flight on
 * it, and back once every answer is in, so cursors, which the mode refuses, are unaffected. If
 * one of them fails, the caller's statement fails with its error; in a transaction the ones after
 * it then fail too, or, for a COMMIT, end it as a rollback.
 */
function translatingErrors(client: pg.PoolClient, logger: Logger | undefined): pg.PoolClient {
  const marked = client as pg.PoolClient & { motcuaTranslating?: true };
  if (marked.motcuaTranslating) return client;
  client.on('error', (err) =>
    logger?.warn({ err: err.message }, 'a PostgreSQL connection in use was lost'),
  );
  const original = (client as unknown as Queryable).query.bind(client);
  const send = (statement: Statement) =>
    (original(...named([statement.text, statement.values])) as Promise<unknown>).catch(
      (err: unknown) => Promise.reject(translatePgError(err)),
    );
  const pipelined = client as unknown as PipelinedClient;
  const sendAll = async (statements: Statement[]): Promise<unknown> => {
    if (statements.length === 1) return send(statements[0]!);
    if (!canPipeline(pipelined)) {
      let last: unknown;
      for (const statement of statements) last = await send(statement);
      return last;
    }
    pipelined.pipeline = true;
    const stream = pipelined.connection?.stream;
    const answers: Promise<unknown>[] = [];
    stream?.cork?.();
    try {
      for (const statement of statements) answers.push(send(statement));
    } catch (err) {
      // node-postgres refused one before sending it: the ones before it are answered first, so
      // the client leaves pipeline mode with nothing in flight.
      answers.push(Promise.reject(err instanceof Error ? err : new Error(String(err))));
    } finally {
      stream?.uncork?.();
    }
    const settled = await Promise.allSettled(answers);
    pipelined.pipeline = false;
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return (settled.at(-1) as PromiseFulfilledResult<unknown>).value;
  };
  const writes = new DeferredWrites();
  (client as unknown as Queryable).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (
      typeof text !== 'string' ||
      args.length > 2 ||
      (values !== undefined && !Array.isArray(values))
    ) {
      // A cursor or a query config: the BEGIN and the pending writes go first (node-postgres
      // sends in order; if they fail, so does this, on the aborted transaction).
      for (const statement of writes.takeFlush()) void send(statement).catch(() => undefined);
      const result = original(...named(args));
      // A cursor passed to query() is returned as it is; only promises carry errors here.
      return result instanceof Promise
        ? result.catch((err: unknown) => Promise.reject(translatePgError(err)))
        : result;
    }
    const step = writes.step(text, (values as unknown[] | undefined) ?? []);
    if (!step.deferred) return sendAll(step.send);
    const answer = { command: 'DEFERRED', rowCount: null, rows: [] };
    return step.send.length > 0 ? sendAll(step.send).then(() => answer) : Promise.resolve(answer);
  };
  marked.motcuaTranslating = true;
  return client;
}

export interface PostgresOptions {
  url: string;
  poolSize: number;
  logger?: Logger;
  /** Used by the logs and pg_stat_activity to tell our connections apart. */
  applicationName?: string;
  /**
   * 'off' for writes whose loss in a crash of the server harms nobody (rate-limit windows): the
   * commit returns before the WAL is flushed. Never for business data.
   */
  synchronousCommit?: 'off';
}

/**
 * A pool of node-postgres connections under Kysely. A connection that dies (the server restarts,
 * a proxy drops it) is dropped from the pool and the request in flight gets a
 * DatabaseUnavailableError (503); the next request opens a new connection, so the app recovers
 * without a restart.
 */
export function createPostgresPool(options: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    types,
    application_name: options.applicationName ?? 'motcua',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Kills a statement stuck behind a lock instead of holding a request forever.
    statement_timeout: 30_000,
    // A province's timestamps are ISO text in UTC; the session zone never leaks into them.
    options: `-c timezone=UTC${options.synchronousCommit === 'off' ? ' -c synchronous_commit=off' : ''}`,
  });
  // An idle connection that the server closes emits 'error' on the pool; without a listener that
  // would end the process.
  pool.on('error', (err) =>
    options.logger?.warn({ err: err.message }, 'an idle PostgreSQL connection was closed'),
  );
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = () =>
    connect().then(
      (client) => translatingErrors(client, options.logger),
      (err: unknown) => Promise.reject(translatePgError(err)),
    );
  return pool;
}

export function createPostgresDb(
  pool: pg.Pool,
  options: { onStatement?: StatementObserver } = {},
): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [serialKeysPlugin],
    ...statementLog(options.onStatement),
  });
}
