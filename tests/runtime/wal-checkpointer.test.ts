import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../src/entry.node.js';
import { silentLogger } from '../../src/logger.js';
import { startWalCheckpointer } from '../../src/runtime/wal-checkpointer.js';
import { tempDir } from '../helpers/harness.js';

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WAL checkpoints in a thread of their own', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  function openFresh() {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'duban.sqlite');
    const database = openNodeDatabase(path);
    database.connection.exec('CREATE TABLE blob_rows (id INTEGER PRIMARY KEY, body TEXT)');
    const insert = database.connection.prepare('INSERT INTO blob_rows (body) VALUES (?)');
    /** about 2 MB of commits, one row each, like webhook requests */
    const writeRound = () => {
      for (let i = 0; i < 500; i++) insert.run('x'.repeat(4000));
    };
    return { path, database, writeRound, walBytes: () => statSync(`${path}-wal`).size };
  }

  it('keeps the WAL from growing while the service connection never checkpoints itself', async () => {
    const { path, database, writeRound, walBytes } = openFresh();
    const checkpointer = startWalCheckpointer({ path, connection: database.connection, log: silentLogger, intervalMs: 20, driverPath });
    expect(database.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    for (let round = 0; round < 10; round++) {
      writeRound();
      await tick(150); // the thread checkpoints; the next commit starts the WAL over
    }
    // Ten rounds of about 2 MB each: without checkpoints the WAL would hold all of them.
    expect(walBytes()).toBeLessThan(10 * 1024 * 1024);
    await checkpointer.stop();
    expect(database.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    database.close();
  });

  it('hands checkpoints back to the connection when the thread cannot run', async () => {
    const { path, database } = openFresh();
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) };
    startWalCheckpointer({ path, connection: database.connection, log, driverPath: '/nonexistent/better-sqlite3.node.js' });
    for (let i = 0; i < 100 && database.connection.pragma('wal_autocheckpoint', { simple: true }) !== 1000; i++) await tick(20);
    expect(database.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(warnings).toContain('WAL checkpoints run on the service connection again');
    await tick(100); // the thread's exit comes after its error: handed back once, closed connection or not
    database.close();
    await tick(100);
    expect(warnings.filter((w) => w === 'WAL checkpoints run on the service connection again')).toHaveLength(1);
  });
});
