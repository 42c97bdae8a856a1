import type { CompiledQuery } from 'kysely';

/**
 * Writes whose answer nobody waits for, sent with the next statement (PostgreSQL).
 *
 * node-postgres sends one statement and waits for its answer before it sends the next, so each
 * statement of a transaction costs a round trip: a write to the socket that wakes the server's
 * backend and a read that wakes Node.js. On the PostgreSQL intake those round trips were about
 * half of Node.js's CPU (docs/BENCHMARKS.md, "Causes" 3), and the ones after the office's daily
 * number is taken hold its lock. A write marked deferrable (`deferrable()`) is not sent when
 * Kysely runs it: it is answered at once with no rows, and sent with the transaction's next
 * statement, as a data-modifying WITH clause of it (`with w0 as (insert …) <next>`), or just
 * before it when that statement cannot carry it.
 *
 * What a deferrable write must be, which its caller promises:
 * - an INSERT, UPDATE or DELETE whose result (rows, count) nobody reads, and whose error needs no
 *   handling of its own: it is raised by the statement that carries it, and ends the transaction;
 * - of rows that no statement of the transaction reads until it is sent, and with triggers that
 *   write nothing such a statement reads: a statement that names a pending write's table is not
 *   given it, but PostgreSQL runs WITH clauses on the main statement's snapshot, and their
 *   triggers only at its end, so the next statement would not see them.
 *
 * Writes are deferred only inside a transaction (outside one, the caller's answer means "saved")
 * and sent before its COMMIT, a savepoint's end or any statement that cannot carry them, in the
 * same round trip as that statement; a ROLLBACK drops them. SQLite runs every statement at once:
 * the mark is a trailing comment.
 */
export const DEFERRABLE_MARK = ' /* motcua:deferrable */';

/** The same statement, marked so that PostgreSQL may send it with the transaction's next one. */
export function deferrable<Q extends CompiledQuery<unknown>>(query: Q): Q {
  return query.sql.endsWith(DEFERRABLE_MARK)
    ? query
    : { ...query, sql: `${query.sql}${DEFERRABLE_MARK}` };
}

export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * What to do with one statement: send `send`, in order and without waiting for each answer (one
 * round trip, db/postgres.ts); the caller's statement is the last of them, unless it was
 * `deferred`, in which case it is answered with no rows once they are done (at once when there
 * is nothing to send).
 */
export interface Step {
  send: Statement[];
  deferred: boolean;
}

interface Pending extends Statement {
  table: string;
  kind: 'insert' | 'update' | 'delete';
}

const WRITE = /^\s*(insert\s+into|update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?/i;
const CARRIER = /^\s*(select|insert|update|delete|with)\b/i;
const MAX_CACHED = 500;
/** PostgreSQL takes at most 65,535 parameters a statement; a batch stays well under. */
const MAX_VALUES = 30_000;

/**
 * The pending writes of one connection (one node-postgres client), and its transaction's state.
 *
 * Pending writes gather in a group that becomes WITH clauses of one statement. A deferrable
 * write that cannot be a WITH clause (one with WITH clauses of its own: PostgreSQL takes a
 * data-modifying WITH only at the top) takes the group as WITH clauses of its own when it can
 * carry them, as a statement would, or closes it, and waits as a statement of its own; so do
 * the BEGIN, sent with the transaction's first statement that goes, and a group closed
 * by a clash. Every waiting statement goes in the round trip of the next statement whose answer
 * is needed, before it and in order, so each sees what the ones before it wrote. A transaction
 * that sends nothing (it only had deferrable writes and rolled back, or nothing at all) never
 * reaches the server.
 */
export class DeferredWrites {
  #open = false;
  /** The BEGIN has not been sent: nothing of this transaction has reached the server. */
  #unsent = false;
  #queued: Statement[] = [];
  #pending: Pending[] = [];

  get pendingCount(): number {
    return this.#queued.length - (this.#unsent ? 1 : 0) + this.#pending.length;
  }

  /** The statements to send now, whatever comes next (a cursor's query); none are left waiting. */
  takeFlush(): Statement[] {
    this.#close();
    const out = this.#queued;
    this.#queued = [];
    this.#unsent = false;
    return out;
  }

  /** The group of pending writes, as one statement, goes into the queue. */
  #close(): void {
    if (this.#pending.length > 0) this.#queued.push(combine(this.#pending, null));
    this.#pending = [];
  }

  /** A deferrable write waits; what waits is sent now if it has grown past one statement's worth. */
  #deferred(): Step {
    const waiting = valueCount(this.#queued) + valueCount(this.#pending);
    return { send: waiting > MAX_VALUES ? this.takeFlush() : [], deferred: true };
  }

  #drop(): void {
    this.#queued = [];
    this.#pending = [];
    this.#unsent = false;
  }

  step(text: string, values: readonly unknown[]): Step {
    const marked = text.endsWith(DEFERRABLE_MARK);
    const bare: Statement = {
      text: marked ? text.slice(0, -DEFERRABLE_MARK.length) : text,
      values: [...values],
    };
    const head = /^\s*([a-z]+)(\s+[a-z]+)?/i.exec(bare.text);
    const word = head?.[1]?.toLowerCase();
    const second = head?.[2]?.trim().toLowerCase();
    if (word === 'begin' || (word === 'start' && second === 'transaction')) {
      this.#open = true;
      this.#drop();
      this.#queued = [bare];
      this.#unsent = true;
      return { send: [], deferred: true };
    }
    if (word === 'rollback') {
      // A rollback to a savepoint drops what came after the savepoint, which everything
      // waiting did (a savepoint sends it first); a whole rollback ends the transaction, and
      // one that sent nothing has nothing to undo on the server.
      if (second === 'to') {
        this.#pending = [];
        this.#queued = this.#unsent ? this.#queued.slice(0, 1) : [];
        return { send: [...this.takeFlush(), bare], deferred: false };
      }
      this.#open = false;
      const unsent = this.#unsent;
      this.#drop();
      return unsent ? { send: [], deferred: true } : { send: [bare], deferred: false };
    }
    if (word === 'commit' || word === 'end') {
      this.#open = false;
      if (this.#unsent && this.#queued.length === 1 && this.#pending.length === 0) {
        this.#drop();
        return { send: [], deferred: true };
      }
    }

    if (marked && this.#open && renumber(bare.text, 0) !== null) {
      const write = WRITE.exec(bare.text);
      if (write) {
        const kind = write[1]!.toLowerCase().split(/\s+/)[0] as Pending['kind'];
        const table = write[2]!.toLowerCase();
        // Two changes of one table in one statement: an update could meet the other's rows.
        const clash =
          this.#pending.some(
            (p) => p.table === table && (p.kind !== 'insert' || kind !== 'insert'),
          ) || valueCount(this.#pending) + bare.values.length > MAX_VALUES;
        if (clash) this.#close();
        this.#pending.push({ ...bare, table, kind });
        return this.#deferred();
      }
      if (/^\s*with\s/i.test(bare.text) && !/^\s*with\s+recursive\b/i.test(bare.text)) {
        // It carries the group when it reads none of the group's tables, as a statement would.
        if (this.#pending.length > 0 && canCarry(bare, this.#pending)) {
          this.#queued.push(combine(this.#pending, bare));
          this.#pending = [];
        } else {
          this.#close();
          this.#queued.push(bare);
        }
        return this.#deferred();
      }
    }
    if (this.#pending.length > 0 && canCarry(bare, this.#pending)) {
      const carried = combine(this.#pending, bare);
      this.#pending = [];
      return { send: [...this.takeFlush(), carried], deferred: false };
    }
    return { send: [...this.takeFlush(), bare], deferred: false };
  }
}

/** Whether `main` can carry the pending writes as WITH clauses: it reads none of their tables. */
function canCarry(main: Statement, pending: readonly Pending[]): boolean {
  if (valueCount(pending) + main.values.length > MAX_VALUES) return false;
  if (!CARRIER.test(main.text) || /^\s*with\s+recursive\b/i.test(main.text)) return false;
  if (renumber(main.text, 0) === null) return false;
  const lower = main.text.toLowerCase();
  return pending.every((p) => !namePattern(p.table).test(lower));
}

const namePatterns = new Map<string, RegExp>();

/** The table's name as a word of a statement's text (`"b_a"` does not name `a`). */
function namePattern(table: string): RegExp {
  let pattern = namePatterns.get(table);
  if (!pattern) {
    pattern = new RegExp(`(^|[^a-z0-9_])${table}([^a-z0-9_]|$)`);
    if (namePatterns.size >= MAX_CACHED) namePatterns.clear();
    namePatterns.set(table, pattern);
  }
  return pattern;
}

const valueCount = (statements: readonly Statement[]) =>
  statements.reduce((sum, s) => sum + s.values.length, 0);

/**
 * One statement of the pending writes and `main` (or the last pending write when there is no
 * main): the others as WITH clauses, their placeholders numbered after each other's.
 */
export function combine(pending: readonly Statement[], main: Statement | null): Statement {
  const all = main ? [...pending, main] : [...pending];
  if (all.length === 1) return { text: all[0]!.text, values: all[0]!.values };
  const values: unknown[] = [];
  const texts = all.map((s) => {
    const text = renumber(s.text, values.length)!;
    values.push(...s.values);
    return text;
  });
  const last = texts.pop()!.trimStart();
  const clauses = texts.map((t, i) => `motcua_w${i} as (${t})`).join(', ');
  const text = /^with\s/i.test(last)
    ? `with ${clauses}, ${last.slice(5)}`
    : `with ${clauses} ${last}`;
  return { text, values };
}

const renumbered = new Map<string, string | null>();

/**
 * The statement with each placeholder `$n` made `$(n + offset)`, or null when its text has what
 * this does not read (dollar quoting, comments): such a statement is never combined.
 */
export function renumber(sql: string, offset: number): string | null {
  const key = `${offset}\u0000${sql}`;
  const known = renumbered.get(key);
  if (known !== undefined) return known;
  const result = scan(sql, offset);
  if (renumbered.size >= MAX_CACHED) renumbered.clear();
  renumbered.set(key, result);
  return result;
}

function scan(sql: string, offset: number): string | null {
  let out = '';
  let from = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      // A quoted literal or identifier, its quote doubled inside.
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] !== c) continue;
        if (sql[j + 1] === c) j++;
        else break;
      }
      if (j >= sql.length) return null;
      i = j;
    } else if (c === '$') {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0];
      if (!digits) return null;
      out += `${sql.slice(from, i)}$${Number(digits) + offset}`;
      i += digits.length;
      from = i + 1;
    } else if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*')) {
      return null;
    }
  }
  return out + sql.slice(from);
}
