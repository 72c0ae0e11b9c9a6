/**
 * Migration 0006 moves the card reference out of the outbox's topic string into its own column:
 * a card queued before the upgrade and delivered after it is still remembered.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../src/entry.node.js';
import { tempDir } from '../helpers/harness.js';

const MIGRATIONS = resolve(__dirname, '../../db/migrations');

describe('migration 0006: outbox card references', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('moves card:… topics into card_ref and leaves other topics alone', () => {
    // The database as 0005 left it: migrations up to 0005 only.
    const before = join(dir.path, 'migrations-0005');
    cpSync(MIGRATIONS, before, { recursive: true });
    const journalPath = join(before, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    journal.entries = journal.entries.filter((e) => e.tag <= '0005');
    writeFileSync(journalPath, JSON.stringify(journal));
    const file = join(dir.path, 'duban.sqlite');
    const sqlite = new Database(file);
    migrate(drizzle(sqlite), { migrationsFolder: before });
    const ref = { kind: 'measure', measureId: 7, context: { shared: true } };
    const insert = sqlite.prepare(
      `INSERT INTO outbox (uuid, kind, receive_id_type, receive_id, msg_type, content, preview, topic, next_attempt_at, created_at)
       VALUES (?, 'create', 'chat_id', 'oc_1', 'interactive', '{}', '', ?, '2025-10-09T00:00:00Z', '2025-10-09T00:00:00Z')`,
    );
    insert.run('card-before', `card:${JSON.stringify(ref)}`);
    insert.run('reminder-before', 'reminder:2025-10-09');
    sqlite.close();

    const { connection, close } = openNodeDatabase(file);
    const rows = connection.prepare('SELECT uuid, topic, card_ref FROM outbox ORDER BY uuid').all();
    close();
    expect(rows).toEqual([
      { uuid: 'card-before', topic: null, card_ref: JSON.stringify(ref) },
      { uuid: 'reminder-before', topic: 'reminder:2025-10-09', card_ref: null },
    ]);
  });
});
