import { getTableColumns, SQL, StringChunk, type Table } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db, SqliteConnection } from './database.js';

export type Row = Record<string, unknown>;

/** The database stayed locked by another writer (another process) past busy_timeout. */
export class DatabaseBusyError extends Error {
  constructor(cause: unknown) {
    super(`database busy: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
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

type Query = { sql: string; params: unknown[] };

/**
 * SQL text and parameters of a statement made only of text, plain values and nested sql``, as
 * drizzle's sqlToQuery would give them but about ten times faster (an import writes thousands);
 * undefined for anything else (columns, tables, placeholders, inlined params), which drizzle does.
 */
export function plainQuery(statement: SQL): Query | undefined {
  const text: string[] = [];
  const params: unknown[] = [];
  const walk = (s: SQL): boolean => {
    if ((s as unknown as { shouldInlineParams?: boolean }).shouldInlineParams) return false;
    for (const c of s.queryChunks as unknown[]) {
      if (c instanceof StringChunk) text.push(...c.value);
      else if (c instanceof SQL) {
        if (!walk(c)) return false;
      } else if (c === null || typeof c === 'string' || typeof c === 'number' || typeof c === 'bigint') {
        text.push('?');
        params.push(c);
      } else return false;
    }
    return true;
  };
  return walk(statement) ? { sql: text.join(''), params } : undefined;
}

/** SQL text and parameters of every statement, prepared in chunks so a long list does not hold the event loop. */
async function toQueries(statements: SQL[]): Promise<Query[]> {
  const out: Query[] = [];
  for (let i = 0; i < statements.length; i += CHUNK) {
    if (i > 0) await yieldToEventLoop();
    for (const s of statements.slice(i, i + CHUNK)) out.push(plainQuery(s) ?? dialect.sqlToQuery(s));
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
 * Runs statements all-or-nothing on every driver and returns the rows each one returned
 * (`RETURNING`, or a select), in order; statements that return nothing give [].
 *
 * D1 has no interactive transactions, so the statements are built up front (ids of rows
 * created earlier in the same run are found with subqueries on natural keys, and a statement
 * that must apply only if the one before it did is guarded with `changes() > 0`) and sent as
 * one batch, which D1 runs as one transaction. better-sqlite3 runs them in an IMMEDIATE
 * transaction: the write lock is taken at BEGIN, so another process writing the same file
 * waits (busy_timeout) instead of failing half-way with SQLITE_BUSY_SNAPSHOT; past it, the
 * caller gets DatabaseBusyError. Each distinct statement is prepared once, so a large import
 * writes in a fraction of a second. It is one synchronous transaction on purpose: yielding
 * inside it would let other requests on the same connection write into it (and be rolled
 * back with it); the SQL text is built before it, in chunks with yields.
 *
 * Whether a guarded change applied is read from its own statement's rows, never from a
 * read-back that another writer could satisfy. A precondition, when given, is checked inside
 * the transaction (on D1 just before the batch) and throws AtomicConflictError.
 */
export async function runAtomically(db: Db, statements: SQL[], precondition?: AtomicPrecondition): Promise<Row[][]> {
  if (statements.length === 0) return [];
  const queries = await toQueries(statements);
  const driver = db.capabilities;
  if (driver.atomic === 'batch') {
    if (precondition && (await readPrecondition(db, precondition.query)) !== precondition.expected) throw new AtomicConflictError();
    // drizzle's own db.batch() cannot bind the parameters of db.run(sql) items on D1
    // (0.45: "reading 'bind'"), so the statements go to the binding.
    const { d1 } = driver;
    const results = await d1.batch(queries.map((q) => d1.prepare(q.sql).bind(...q.params)));
    return results.map((r) => (r.results ?? []) as Row[]);
  }
  const { sqlite } = driver;
  const prepared = new Map<string, ReturnType<SqliteConnection['prepare']>>();
  const statement = (text: string) => {
    let s = prepared.get(text);
    if (!s) prepared.set(text, (s = sqlite.prepare(text)));
    return s;
  };
  const check = precondition && dialect.sqlToQuery(precondition.query);
  const run = sqlite.transaction(() => {
    if (check && firstValue(statement(check.sql).get(...check.params)) !== precondition!.expected) throw new AtomicConflictError();
    return queries.map((q, i) => {
      try {
        const s = statement(q.sql);
        if (s.reader) return s.all(...q.params) as Row[];
        s.run(...q.params);
        return [];
      } catch (e) {
        // Name the statement (never its parameters, which hold user text) for the log; keep SQLite's code.
        const failure = new Error(`statement ${i + 1} of ${queries.length} failed: ${e instanceof Error ? e.message : String(e)}: ${q.sql.slice(0, 300)}`, {
          cause: e,
        });
        throw Object.assign(failure, { code: (e as { code?: string }).code });
      }
    });
  });
  try {
    return run.immediate();
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new DatabaseBusyError(e);
    throw e;
  }
}

/** A row as SQLite returns it (snake_case names, 0/1 booleans) in the table's drizzle shape. */
export function rowOf<T extends Table>(table: T, row: Row): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const raw = row[column.name];
    out[key] = raw === null || raw === undefined ? null : column.mapFromDriverValue(raw);
  }
  return out as T['$inferSelect'];
}
