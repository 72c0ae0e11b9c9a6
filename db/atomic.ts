import { getTableColumns, type SQL, type Table } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from './database.js';

/** The parts of a D1 binding used here (the drizzle D1 driver exposes it as `$client`). */
interface D1Binding {
  prepare(query: string): { bind(...values: unknown[]): unknown };
  batch(statements: unknown[]): Promise<Array<{ results?: unknown[] }>>;
}

/** The parts of a better-sqlite3 connection used here. */
interface SqliteConnection {
  prepare(query: string): { reader: boolean; all(...p: unknown[]): unknown[]; run(...p: unknown[]): unknown };
  transaction<T>(fn: () => T): { immediate(): T };
}

export type Row = Record<string, unknown>;

const dialect = new SQLiteAsyncDialect();

/**
 * Runs statements all-or-nothing on every driver and returns the rows each one returned
 * (`RETURNING`, or a select), in order; statements that return nothing give [].
 *
 * D1 has no interactive transactions, so the statements are built up front (ids of rows
 * created earlier in the same run are found with subqueries on natural keys, and a statement
 * that must apply only if the one before it did is guarded with `changes() > 0`) and sent as
 * one batch, which D1 runs as one transaction. better-sqlite3 runs them in an IMMEDIATE
 * transaction: the write lock is taken at BEGIN, so another process writing the same file
 * waits (busy_timeout) instead of failing half-way with SQLITE_BUSY_SNAPSHOT.
 *
 * Whether a guarded change applied is read from its own statement's rows, never from a
 * read-back that another writer could satisfy.
 */
export async function runAtomically(db: Db, statements: SQL[]): Promise<Row[][]> {
  if (statements.length === 0) return [];
  const queries = statements.map((s) => dialect.sqlToQuery(s));
  const client = (db as unknown as { $client?: unknown }).$client as Partial<D1Binding & SqliteConnection> | undefined;
  if (typeof client?.batch === 'function' && typeof client.prepare === 'function') {
    // drizzle's own db.batch() cannot bind the parameters of db.run(sql) items on D1
    // (0.45: "reading 'bind'"), so the statements go to the binding.
    const d1 = client as D1Binding;
    const results = await d1.batch(queries.map((q) => d1.prepare(q.sql).bind(...q.params)));
    return results.map((r) => (r.results ?? []) as Row[]);
  }
  if (typeof client?.transaction !== 'function' || typeof client.prepare !== 'function') {
    throw new Error('runAtomically: unsupported database driver');
  }
  const sqlite = client as SqliteConnection;
  const run = sqlite.transaction(() =>
    queries.map((q, i) => {
      try {
        const statement = sqlite.prepare(q.sql);
        if (statement.reader) return statement.all(...q.params) as Row[];
        statement.run(...q.params);
        return [];
      } catch (e) {
        // Name the statement (never its parameters, which hold user text) for the log.
        throw new Error(`statement ${i + 1} of ${queries.length} failed: ${e instanceof Error ? e.message : String(e)}: ${q.sql.slice(0, 300)}`, { cause: e });
      }
    }),
  );
  return run.immediate();
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
