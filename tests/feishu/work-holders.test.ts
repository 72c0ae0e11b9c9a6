import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { claimInboxEvent, insertInboxEvent } from '../../db/queries/inbox.js';
import { claimDueOutbox } from '../../db/queries/outbox.js';
import { beatHeartbeat, registerWorkHolder, stopWorkHolder } from '../../db/queries/work-holders.js';
import { workHolders } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { claimWindow, HOLDER_TIMEOUT_MS } from '../../src/feishu/claim-window.js';
import { MAX_EVENT_ATTEMPTS } from '../../src/feishu/inbox.js';
import { MAX_SEND_ATTEMPTS } from '../../src/feishu/outbox.js';
import { enqueueMessage } from '../../src/outbox/outbound-message.js';
import { startTestService, type TestService } from '../helpers/harness.js';

const LEASE_MS = 30_000;
/** A process id that ran and is gone. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('claims and their holders', () => {
  const clock = createFixedClock('2026-06-01T02:00:00.000Z');
  let svc: TestService | undefined;
  afterEach(async () => {
    await svc?.close();
    svc = undefined;
  });

  async function storedEvent(s: TestService, id: string) {
    await insertInboxEvent(s.deps.db, { eventId: id, eventType: 'im.message.receive_v1', payload: '{}', receivedAt: clock.now().toISOString() });
  }
  const claimAs = (s: TestService, id: string, holder: string | undefined) =>
    claimInboxEvent(s.deps.db, id, claimWindow(clock.now(), LEASE_MS, holder), MAX_EVENT_ATTEMPTS);

  it('leaves an alive holder its claims, and takes them over once its heartbeat stops', async () => {
    svc = await startTestService({ clock, env: { WORK_LEASE_SECONDS: '30' } });
    const db = svc.deps.db;
    // Another machine's process: only its heartbeat tells whether it lives.
    await registerWorkHolder(db, { id: 'elsewhere:42:a', host: 'elsewhere', pid: 42, now: clock.now().toISOString() });
    await storedEvent(svc, 'ev_1');
    expect(await claimAs(svc, 'ev_1', 'elsewhere:42:a')).toMatchObject({ attempts: 1, claimedBy: 'elsewhere:42:a' });

    clock.advance(HOLDER_TIMEOUT_MS - 1000);
    await beatHeartbeat(db, 'elsewhere:42:a', clock.now().toISOString());
    clock.advance(HOLDER_TIMEOUT_MS - 1000);
    expect(await claimAs(svc, 'ev_1', svc.deps.holderId)).toBeUndefined(); // beat 2 s ago: alive

    clock.advance(1001);
    expect(await claimAs(svc, 'ev_1', svc.deps.holderId)).toMatchObject({ attempts: 2, claimedBy: svc.deps.holderId });
  });

  it('takes over at once the claims of a process on this machine that is gone, and of a previous life with this pid', async () => {
    const first = await startTestService({ clock, env: { WORK_LEASE_SECONDS: '30' } });
    const db = first.deps.db;
    const host = hostname();
    const now = clock.now().toISOString();
    await registerWorkHolder(db, { id: `${host}:dead`, host, pid: deadPid(), now });
    await registerWorkHolder(db, { id: `${host}:${process.pid}:earlier`, host, pid: process.pid, now });
    await registerWorkHolder(db, { id: `${host}:alive`, host, pid: process.pid === 1 ? 2 : 1, now }); // pid 1 always runs
    for (const [event, holder] of [
      ['ev_dead', `${host}:dead`],
      ['ev_earlier', `${host}:${process.pid}:earlier`],
      ['ev_alive', `${host}:alive`],
    ]) {
      await storedEvent(first, event!);
      expect(await claimAs(first, event!, holder)).toBeDefined();
    }
    await first.close(false);

    // A new life on the same file: nothing has aged, yet the dead holders' work is free.
    svc = await startTestService({ clock, databasePath: first.databasePath, env: { WORK_LEASE_SECONDS: '30' } });
    expect(await claimAs(svc, 'ev_dead', svc.deps.holderId)).toMatchObject({ attempts: 2 });
    expect(await claimAs(svc, 'ev_earlier', svc.deps.holderId)).toMatchObject({ attempts: 2 });
    expect(await claimAs(svc, 'ev_alive', svc.deps.holderId)).toBeUndefined();
    const rows = await svc.deps.db.select().from(workHolders).where(eq(workHolders.host, host));
    expect(
      rows
        .filter((r) => r.stoppedAt)
        .map((r) => r.id)
        .sort(),
    ).toEqual([`${host}:${process.pid}:earlier`, `${host}:dead`, first.deps.holderId].sort());
  });

  it('releases the claims of a holder that stops, and the lease still bounds an attempt that hangs in a live holder', async () => {
    svc = await startTestService({ clock, env: { WORK_LEASE_SECONDS: '30' } });
    const db = svc.deps.db;
    await enqueueMessage(
      db,
      { kind: 'create', receiveIdType: 'open_id', receiveId: 'ou_x', uuid: 'u-1', msgType: 'text', content: '{"text":"x"}' },
      clock.now(),
    );
    await enqueueMessage(
      db,
      { kind: 'create', receiveIdType: 'open_id', receiveId: 'ou_y', uuid: 'u-2', msgType: 'text', content: '{"text":"y"}' },
      clock.now(),
    );
    const claimOutbox = (holder: string | undefined) =>
      claimDueOutbox(db, claimWindow(clock.now(), LEASE_MS, holder), 1, MAX_SEND_ATTEMPTS).then((rows) => rows.map((r) => r.uuid));
    await registerWorkHolder(db, { id: 'elsewhere:7:b', host: 'elsewhere', pid: 7, now: clock.now().toISOString() });
    expect(await claimOutbox('elsewhere:7:b')).toEqual(['u-1']);
    expect(await claimOutbox(svc.deps.holderId)).toEqual(['u-2']); // u-1 is held by a live holder
    expect(await claimOutbox(svc.deps.holderId)).toEqual([]);
    await stopWorkHolder(db, 'elsewhere:7:b', clock.now().toISOString());
    expect(await claimOutbox(svc.deps.holderId)).toEqual(['u-1']); // released on stop

    // Held by this live process for longer than the lease (a hung call): taken over.
    expect(await claimOutbox('another')).toEqual([]);
    clock.advance(LEASE_MS + 1);
    await beatHeartbeat(db, svc.deps.holderId!, clock.now().toISOString());
    expect((await claimOutbox('another')).length).toBe(1);
  });
});
