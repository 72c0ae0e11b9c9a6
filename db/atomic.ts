import type { SQL } from 'drizzle-orm';
import type { Db } from './database.js';

/**
 * Runs statements all-or-nothing on every driver. D1 has no interactive transactions, so the
 * statements are built up front (ids of rows created earlier in the same run are found with
 * subqueries on natural keys) and sent as one batch; better-sqlite3 runs them in a transaction.
 * Nothing executes while the list is being built.
 */
export async function runAtomically(db: Db, statements: SQL[]): Promise<void> {
  if (statements.length === 0) return;
  const batchable = db as unknown as { batch?: (items: unknown[]) => Promise<unknown> };
  if (typeof batchable.batch === 'function') {
    await batchable.batch(statements.map((s) => db.run(s)));
    return;
  }
  // better-sqlite3: a synchronous transaction; any failure rolls every statement back.
  const sync = db as unknown as { transaction(fn: () => void): void; run(s: SQL): unknown };
  sync.transaction(() => {
    for (const s of statements) sync.run(s);
  });
}
