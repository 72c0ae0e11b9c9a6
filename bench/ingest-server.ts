/**
 * The baselines of the service benchmark, each run in its own process so the load generator
 * does not share its core. Both are the official SDK's EventDispatcher behind adaptDefault:
 * `sdk` answers with a no-op handler (it stores nothing); `sdk-sqlite` is what a careful user
 * would write: the handler inserts the event (id + payload, unique on the id so a redelivery
 * is ignored) into SQLite (WAL, synchronous=NORMAL, a prepared statement) before answering.
 */
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import Database from 'better-sqlite3';

const [target, encryptKey, token] = process.argv.slice(2) as [string, string, string];

function handler(): (data: { event_id?: string }) => Promise<object> {
  if (target === 'sdk') return async () => ({});
  if (target !== 'sdk-sqlite') throw new Error(`unknown target ${target}`);
  const sqlite = new Database(join(mkdtempSync(join(tmpdir(), 'duban-bench-sdk-')), 'events.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('CREATE TABLE events (event_id TEXT PRIMARY KEY, payload TEXT NOT NULL)');
  const insert = sqlite.prepare('INSERT OR IGNORE INTO events (event_id, payload) VALUES (?, ?)');
  return async (data) => {
    insert.run(String(data.event_id), JSON.stringify(data));
    return {};
  };
}

const dispatcher = new lark.EventDispatcher({
  encryptKey,
  verificationToken: token,
  loggerLevel: lark.LoggerLevel.error,
  logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
}).register({
  'im.message.receive_v1': handler(),
});
const server = createServer(lark.adaptDefault('/feishu/events', dispatcher, { autoChallenge: true }));
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as { port: number }).port}\n`));
