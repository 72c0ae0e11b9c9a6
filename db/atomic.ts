import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from './database.js';

/** The parts of a D1 binding used here (the drizzle D1 driver exposes it as `$client`). */
interface D1Binding {
  prepare(query: string): { bind(...values: unknown[]): unknown };
  batch(statements: unknown[]): Promise<unknown>;
}

/** The parts of a better-sqlite3 connection used here (drizzle's `$client` on Node). */
interface SyncClient {
  prepare(query: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };
  transaction(fn: () => void): { immediate(): void };
}

/** The database stayed locked by another writer (another process) past busy_timeout. */
export class DatabaseBusyError extends Error {
  constructor(cause: unknown) {
    super(`database busy: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DatabaseBusyError';
  }
}

/** The state a batch was computed from changed before it could be written; nothing was written. */
export class AtomicConflictError extends Error {
  constructor() {
    super('the data changed while the write was being prepared');
    this.name = 'AtomicConflictError';
  }
}

/**
 * A precondition checked in the same transaction as the writes: `query` (one value) must still
 * return `expected`, the value read when the statements were computed.
 */
export interface AtomicPrecondition {
  query: SQL;
  expected: unknown;
}

const dialect = new SQLiteAsyncDialect();
/** Statements turned into SQL text between two yields to the event loop. */
const CHUNK = 500;

/** Lets waiting requests run between chunks of a long computation (a timer works on every runtime). */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** SQL text and parameters of every statement, prepared in chunks so a long list does not hold the event loop. */
async function toQueries(statements: SQL[]): Promise<Array<{ sql: string; params: unknown[] }>> {
  const out: Array<{ sql: string; params: unknown[] }> = [];
  for (let i = 0; i < statements.length; i += CHUNK) {
    if (i > 0) await yieldToEventLoop();
    for (const s of statements.slice(i, i + CHUNK)) out.push(dialect.sqlToQuery(s));
  }
  return out;
}

/** The first column of a row, whichever shape the driver returns it in. */
function firstValue(row: unknown): unknown {
  if (row === undefined || row === null) return null;
  return (Array.isArray(row) ? row[0] : Object.values(row as object)[0]) ?? null;
}

/** The value a precondition query returns now (to pass as `expected` later). */
export async function readPrecondition(db: Db, query: SQL): Promise<unknown> {
  return firstValue(await db.get(query));
}

/**
 * Runs statements all-or-nothing on every driver. D1 has no interactive transactions, so the
 * statements are built up front (ids of rows created earlier in the same run are found with
 * subqueries on natural keys) and sent as one batch; better-sqlite3 runs them in a transaction.
 * Nothing executes while the list is being built.
 *
 * On better-sqlite3 the transaction starts with BEGIN IMMEDIATE, so a concurrent writer in
 * another process (a command-line import, the service) waits for busy_timeout instead of
 * failing halfway, and each distinct statement is prepared once: a large import writes in a
 * fraction of a second. It is one synchronous transaction on purpose: yielding inside it would
 * let other requests on the same connection write into it (and be rolled back with it).
 */
export async function runAtomically(db: Db, statements: SQL[], precondition?: AtomicPrecondition): Promise<void> {
  if (statements.length === 0) return;
  const queries = await toQueries(statements);
  const client = (db as unknown as { $client?: Partial<D1Binding> & Partial<SyncClient> }).$client;
  if (typeof client?.batch === 'function' && typeof client.prepare === 'function') {
    // D1 runs a batch as one transaction but cannot check a precondition inside it: it is
    // checked just before. drizzle's own db.batch() cannot bind the parameters of db.run(sql)
    // items on D1 (0.45: "reading 'bind'"), so the statements go to the binding.
    if (precondition && (await readPrecondition(db, precondition.query)) !== precondition.expected) throw new AtomicConflictError();
    const d1 = client as D1Binding;
    await d1.batch(queries.map((q) => d1.prepare(q.sql).bind(...q.params)));
    return;
  }
  const sync = client as SyncClient;
  const check = precondition && dialect.sqlToQuery(precondition.query);
  const prepared = new Map<string, ReturnType<SyncClient['prepare']>>();
  const statement = (text: string) => {
    let s = prepared.get(text);
    if (!s) prepared.set(text, (s = sync.prepare(text)));
    return s;
  };
  try {
    sync
      .transaction(() => {
        if (check && firstValue(statement(check.sql).get(...check.params)) !== precondition!.expected) throw new AtomicConflictError();
        for (const q of queries) {
          try {
            statement(q.sql).run(...q.params);
          } catch (e) {
            // Name the statement in the log, as drizzle does; keep SQLite's code for the caller.
            const failure = new Error(`Failed to run the query '${q.sql}': ${e instanceof Error ? e.message : String(e)}`, { cause: e });
            throw Object.assign(failure, { code: (e as { code?: string }).code });
          }
        }
      })
      .immediate();
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new DatabaseBusyError(e);
    throw e;
  }
}
