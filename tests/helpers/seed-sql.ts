/**
 * A seeded ledger as SQL, for databases the test cannot reach with drizzle (local D1 under
 * wrangler dev): seeds a scratch SQLite file through the real migrations and seedLedger, then
 * writes its rows as INSERT statements, parents before children, ids kept.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openNodeDatabase } from '../../src/entry.node.js';
import { tempDir } from './harness.js';
import { seedLedger, type SeededLedger, type SeedLedgerSpec } from './seed-ledger.js';

const NOT_DATA = new Set(['__drizzle_migrations', 'sqlite_sequence']);

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Buffer.isBuffer(v)) return `X'${v.toString('hex')}'`;
  return `'${String(v).replaceAll("'", "''")}'`;
}

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
function parentsFirst(sqlite: Database.Database, tables: string[]): string[] {
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    const parents = sqlite.prepare(`PRAGMA foreign_key_list("${t}")`).all() as Array<{ table: string }>;
    for (const p of parents) if (p.table !== t) visit(p.table, path);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

export async function seedLedgerSql(spec: SeedLedgerSpec): Promise<{ sql: string; ledger: SeededLedger }> {
  const dir = tempDir('duban-seed-');
  try {
    const path = join(dir.path, 'seed.sqlite');
    const database = openNodeDatabase(path);
    const ledger = await seedLedger(database.db, spec);
    database.close();
    const sqlite = new Database(path, { readonly: true });
    try {
      const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>)
        .map((r) => r.name)
        .filter((n) => !NOT_DATA.has(n));
      const lines: string[] = [];
      for (const table of parentsFirst(sqlite, tables)) {
        for (const row of sqlite.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>) {
          const columns = Object.keys(row);
          lines.push(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => literal(row[c])).join(', ')});`);
        }
      }
      return { sql: lines.join('\n') + '\n', ledger };
    } finally {
      sqlite.close();
    }
  } finally {
    dir.remove();
  }
}
