import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from './database.js';

/** The parts of a D1 binding used here (the drizzle D1 driver exposes it as `$client`). */
interface D1Binding {
  prepare(query: string): { bind(...values: unknown[]): unknown };
  batch(statements: unknown[]): Promise<unknown>;
}

const dialect = new SQLiteAsyncDialect();

/**
 * Runs statements all-or-nothing on every driver. D1 has no interactive transactions, so the
 * statements are built up front (ids of rows created earlier in the same run are found with
 * subqueries on natural keys) and sent as one batch; better-sqlite3 runs them in a transaction.
 * Nothing executes while the list is being built.
 */
export async function runAtomically(db: Db, statements: SQL[]): Promise<void> {
  if (statements.length === 0) return;
  const client = (db as unknown as { $client?: Partial<D1Binding> }).$client;
  if (typeof client?.batch === 'function' && typeof client.prepare === 'function') {
    // D1 runs a batch as one transaction. drizzle's own db.batch() cannot bind the parameters
    // of db.run(sql) items on D1 (0.45: "reading 'bind'"), so the statements go to the binding.
    const d1 = client as D1Binding;
    await d1.batch(
      statements.map((s) => {
        const q = dialect.sqlToQuery(s);
        return d1.prepare(q.sql).bind(...q.params);
      }),
    );
    return;
  }
  // better-sqlite3: a synchronous transaction; any failure rolls every statement back.
  const sync = db as unknown as { transaction(fn: () => void): void; run(s: SQL): unknown };
  sync.transaction(() => {
    for (const s of statements) sync.run(s);
  });
}
