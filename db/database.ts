import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { SQLiteTransaction } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/** The parts of a D1 binding used for batches. */
export interface D1Binding {
  prepare(query: string): { bind(...values: unknown[]): unknown };
  batch(statements: unknown[]): Promise<Array<{ results?: unknown[] }>>;
}

/** The parts of a better-sqlite3 connection used for transactions. */
export interface SqliteConnection {
  prepare(query: string): { reader: boolean; all(...p: unknown[]): unknown[]; get(...p: unknown[]): unknown; run(...p: unknown[]): unknown };
  transaction<T>(fn: () => T): { immediate(): T };
}

/**
 * What the driver under a Db can do, declared by the entry file that opened it (src/entry.node.ts,
 * src/entry.worker.ts); nothing below the entry files sniffs the driver to find out.
 * - `batch` (D1): asynchronous, no interactive transactions; what must be atomic goes to the
 *   binding as one batch, which D1 runs as one transaction.
 * - `transaction` (better-sqlite3): synchronous; what must be atomic runs in one IMMEDIATE
 *   transaction on the connection. `groupCommit`, when given, runs a callback once the I/O
 *   already waiting has been handled (Node: setImmediate); inbox inserts that arrive in the
 *   meantime then share one commit.
 */
export type DbCapabilities =
  | { atomic: 'batch'; d1: D1Binding }
  | { atomic: 'transaction'; sqlite: SqliteConnection; groupCommit?: (flush: () => void) => void };

/**
 * The database as the rest of duban sees it: drizzle over better-sqlite3 (sync) or D1 (async),
 * with the capabilities of its driver. Every query is awaited, so the same code serves both.
 */
export type Db = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema> & { readonly capabilities: DbCapabilities };
export type Tx = SQLiteTransaction<'sync' | 'async', unknown, typeof schema, any>;

/** A drizzle database as a Db: the entry file that opened it states what its driver can do. */
export function withCapabilities(drizzleDb: BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>, capabilities: DbCapabilities): Db {
  return Object.assign(drizzleDb, { capabilities });
}
