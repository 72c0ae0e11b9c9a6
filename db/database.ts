import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { SQLiteTransaction } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/**
 * The database as the rest of duban sees it: drizzle over better-sqlite3 (sync) or D1 (async).
 * Every query is awaited, so the same code serves both.
 */
export type Db = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;
export type Tx = SQLiteTransaction<'sync' | 'async', unknown, typeof schema, any>;
