import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAtomically } from '../../db/atomic.js';
import { withCapabilities, type D1Binding } from '../../db/database.js';
import { insertInboxEvent } from '../../db/queries/inbox.js';
import * as schema from '../../db/schema.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { tempDir } from '../helpers/harness.js';

/**
 * The database layer does what the entry file says its driver can do; it never looks at the
 * driver itself. Each test builds a Db over a real SQLite file and declares it otherwise.
 */

describe('database capabilities are passed in', () => {
  let dir: ReturnType<typeof tempDir>;
  let database: ReturnType<typeof openNodeDatabase>;
  const orm = () => drizzle(database.connection, { schema });
  const campaignNames = () => database.connection.prepare('select name from campaigns order by name').pluck().all();
  const inboxIds = () => database.connection.prepare('select event_id from inbox_events order by event_id').pluck().all();
  const event = (eventId: string) => ({ eventId, eventType: 'im.message.receive_v1', payload: '{}', receivedAt: '2025-10-09T02:00:00.000Z' });

  beforeEach(() => {
    dir = tempDir();
    database = openNodeDatabase(`${dir.path}/duban.sqlite`);
  });
  afterEach(() => {
    database.close();
    dir.remove();
  });

  it('the Node entry declares a transaction driver with group commit', () => {
    expect(database.db.capabilities).toMatchObject({ atomic: 'transaction', sqlite: database.connection, groupCommit: expect.any(Function) });
  });

  it('atomic statements go to the declared batch binding, even over a driver that could run a transaction', async () => {
    const batches: Array<Array<{ sql: string; params: unknown[] }>> = [];
    const binding: D1Binding = {
      prepare: (text) => ({ bind: (...params: unknown[]) => ({ sql: text, params }) }),
      batch: async (statements) => {
        batches.push(statements as Array<{ sql: string; params: unknown[] }>);
        return statements.map(() => ({ results: [] }));
      },
    };
    const db = withCapabilities(orm(), { atomic: 'batch', d1: binding });
    await runAtomically(db, [sql`insert into campaigns (name, created_at) values (${'2025年巡察整改'}, ${'2025-10-09'})`]);
    expect(batches).toEqual([[{ sql: 'insert into campaigns (name, created_at) values (?, ?)', params: ['2025年巡察整改', '2025-10-09'] }]]);
    expect(campaignNames()).toEqual([]);
  });

  it('a declared transaction driver writes all or nothing on its connection', async () => {
    const db = withCapabilities(orm(), { atomic: 'transaction', sqlite: database.connection });
    const insert = (name: string) => sql`insert into campaigns (name, created_at) values (${name}, ${'2025-10-09'})`;
    await runAtomically(db, [insert('甲'), insert('乙')]);
    await expect(runAtomically(db, [insert('丙'), insert('甲')])).rejects.toThrow(/statement 2 of 2 failed/);
    expect(campaignNames()).toEqual(['乙', '甲'].sort());
  });

  it('inbox inserts arriving together share one scheduled commit only when group commit is declared', async () => {
    const scheduled: Array<() => void> = [];
    const grouped = withCapabilities(orm(), { atomic: 'transaction', sqlite: database.connection, groupCommit: (flush) => scheduled.push(flush) });
    const pending = ['ev_1', 'ev_2', 'ev_3'].map((id) => insertInboxEvent(grouped, event(id)));
    expect(scheduled).toHaveLength(1);
    expect(inboxIds()).toEqual([]);
    scheduled[0]!();
    expect(await Promise.all(pending)).toEqual([true, true, true]);
    expect(inboxIds()).toEqual(['ev_1', 'ev_2', 'ev_3']);

    const alone = withCapabilities(orm(), { atomic: 'transaction', sqlite: database.connection });
    expect(await insertInboxEvent(alone, event('ev_4'))).toBe(true);
    expect(await insertInboxEvent(alone, event('ev_4'))).toBe(false);
    expect(inboxIds()).toEqual(['ev_1', 'ev_2', 'ev_3', 'ev_4']);
  });
});
