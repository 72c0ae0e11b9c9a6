import type { Db } from '../database.js';

/**
 * Statements on a per-event path, built and compiled once per database: drizzle otherwise
 * rebuilds the SQL text and SQLite recompiles it on every call, which costs more than running it.
 */
const caches = new WeakMap<Db, Map<string, unknown>>();

export function preparedOnce<T>(db: Db, key: string, build: () => T): T {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(key) as T | undefined;
  if (statement === undefined) cache.set(key, (statement = build()));
  return statement;
}
