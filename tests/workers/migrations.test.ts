/**
 * One migration history for both runtimes: drizzle's migrator (Node) and
 * `wrangler d1 migrations apply` (D1) read the same db/migrations folder and must build
 * the same schema from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openNodeDatabase } from '../../src/entry.node.js';
import { tempDir } from '../helpers/harness.js';
import { applyLocalMigrations } from '../helpers/wrangler-dev.js';

/** Bookkeeping tables of the two migrators and of the local D1 emulation. */
const BOOKKEEPING = new Set(['__drizzle_migrations', 'd1_migrations', '_cf_METADATA', '_cf_KV', 'sqlite_sequence']);

function schemaOf(path: string): Array<{ type: string; name: string; sql: string }> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table', 'index', 'view', 'trigger') ORDER BY type, name")
      .all() as Array<{ type: string; name: string; sql: string }>;
    return rows.filter((r) => !BOOKKEEPING.has(r.name));
  } finally {
    db.close();
  }
}

describe('migrations shared by Node and D1', () => {
  it('every SQL file is in the drizzle journal and the journal names no missing file', () => {
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
    // wrangler applies every .sql file in name order; drizzle applies the journal in its order.
    expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(files);
  });

  it('uses no statement D1 refuses or ignores in a migration', () => {
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'))) {
      const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      // D1 refuses explicit transaction statements and cannot switch foreign keys off
      // (drizzle-kit emits one when it rebuilds a table; use PRAGMA defer_foreign_keys instead).
      expect(sql, file).not.toMatch(/^\s*(BEGIN|COMMIT|ROLLBACK)\b/im);
      expect(sql, file).not.toMatch(/PRAGMA\s+foreign_keys\s*=/i);
    }
  });

  it('builds the same schema through drizzle on Node and through wrangler on local D1', async () => {
    const dir = tempDir('duban-migrations-');
    try {
      const nodePath = join(dir.path, 'node.sqlite');
      openNodeDatabase(nodePath).close();
      const d1State = join(dir.path, 'd1');
      await applyLocalMigrations(d1State);
      const d1Dir = join(d1State, 'v3', 'd1', 'miniflare-D1DatabaseObject');
      const d1File = readdirSync(d1Dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
      expect(d1File, 'the local D1 database file').toBeDefined();

      const onNode = schemaOf(nodePath);
      expect(onNode.length).toBeGreaterThan(10);
      expect(schemaOf(join(d1Dir, d1File!))).toEqual(onNode);
    } finally {
      dir.remove();
    }
  }, 60_000);
});
