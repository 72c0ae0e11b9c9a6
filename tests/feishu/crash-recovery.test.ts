/**
 * kill -9 at each point of an event's life, then a restart on the same database file: every
 * message gets exactly one reply, within 5 s of the restart. Then two processes on one file,
 * and a job run from the command line beside the service. The lease stays at its production
 * length (30 s): only taking over a dead holder's claims at once meets the bound, and a live
 * holder's claims must be left alone (asserted as one send per uuid where nobody died).
 * What reached Feishu is the evidence; the database file is read for preconditions, and for
 * the bookkeeping of a send whose answer was lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeFeishu } from '../helpers/fake-feishu.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { tempDir } from '../helpers/harness.js';
import { feishuProcessEnv, freePort, postToProcess, useServiceProcesses, type NodeProcess } from '../helpers/node-process.js';
import { messageEvent } from '../helpers/payloads.js';
import { seedLedger } from '../helpers/seed-ledger.js';

/** From just before the new process is spawned (or the other one is killed) to the last reply. */
const RESUME_WITHIN_MS = 5_000;
/** The production lease: the test default of 1 s would let any recovery look prompt. */
const LEASE_SECONDS = '30';
/** After every reply arrived: long enough for a duplicate already under way to land. */
const SETTLE_MS = 750;

/** Each sender writes from a chat of its own, so the platform's 5/s per chat does not pace the replies. */
function helpFrom(tag: string, i: number) {
  const n = String(i).padStart(4, '0');
  return messageEvent({ text: '/help', messageId: `om_${tag}_${n}`, openId: `ou_${tag}_${n}`, chatId: `oc_${tag}_${n}` });
}

/** /help addressed to the bot in a group: reading it needs the bot's open_id from Feishu first. */
function helpInGroup(fake: FakeFeishu, tag: string, i: number) {
  const n = String(i).padStart(4, '0');
  return messageEvent({
    text: '@_user_1 /help',
    chatType: 'group',
    messageId: `om_${tag}_${n}`,
    openId: `ou_${tag}_${n}`,
    chatId: `oc_${tag}_${n}`,
    mentions: [{ key: '@_user_1', openId: fake.botOpenId, type: 'bot' }],
  });
}

const messageIdOf = (e: ReturnType<typeof messageEvent>) => e.event.message.message_id;
const replyPath = (messageId: string) => new RegExp(`^POST /open-apis/im/v1/messages/${messageId}/reply$`);

/** Reply requests that reached Feishu for this message (each send and resend, answered or not). */
const replyRequests = (fake: FakeFeishu, messageId: string) => fake.requests.filter((r) => r.path === `/open-apis/im/v1/messages/${messageId}/reply`);

/** How many times each uuid was sent to Feishu (a new message or a reply), answered or not. */
function sendsByUuid(fake: FakeFeishu): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of fake.requests) {
    if (r.method === 'POST' && /^\/open-apis\/im\/v1\/messages(\/[^/]+\/reply)?$/.test(r.path)) counts[r.body.uuid] = (counts[r.body.uuid] ?? 0) + 1;
  }
  return counts;
}

/** The messages among `ids` that have no reply in Feishu yet. */
const unanswered = (fake: FakeFeishu, ids: string[]) => {
  const replied = new Set(fake.sent('reply').map((m) => m.target));
  return ids.filter((id) => !replied.has(id));
};

/** Waits until every message has a reply or the deadline passes; the caller asserts. */
async function untilAnswered(fake: FakeFeishu, ids: string[], deadline: number) {
  await fake.waitFor(() => unanswered(fake, ids).length === 0, Math.max(0, deadline - Date.now())).catch(() => {});
}

/** Exactly one reply in Feishu for each message, and none to anything else. */
function expectOneReplyEach(fake: FakeFeishu, ids: string[]) {
  const targets = fake.sent('reply').map((m) => m.target);
  const extra = targets.filter((t, i) => targets.indexOf(t) !== i || !ids.includes(t));
  expect(extra, 'messages replied to twice (or not sent by the test)').toEqual([]);
  expect(unanswered(fake, ids), 'messages without a reply').toEqual([]);
}

/** Reads the database file (read-only) the way an operator would, while or after the service runs. */
function readDatabase<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const countByStatus = (db: Database.Database, table: 'inbox_events' | 'outbox'): Record<string, number> =>
  Object.fromEntries(
    (db.prepare(`SELECT status, count(*) AS n FROM ${table} GROUP BY status`).all() as Array<{ status: string; n: number }>).map((r) => [r.status, r.n]),
  );

/** Events and messages by status: what a kill left. */
const workLeft = (databasePath: string) =>
  readDatabase(databasePath, (db) => ({ inbox: countByStatus(db, 'inbox_events'), outbox: countByStatus(db, 'outbox') }));

async function kill(p: NodeProcess) {
  p.child.kill('SIGKILL');
  await p.exited();
}

const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

/** Service processes (killed after each test) and a fresh database file per test, removed after it. */
function useProcessesOnFreshDatabase() {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });
  return {
    ...useServiceProcesses(),
    databasePath() {
      const dir = tempDir();
      dirs.push(dir);
      return join(dir.path, 'duban.sqlite');
    },
  };
}

describe('kill -9 and restart on the same database', () => {
  const processes = useProcessesOnFreshDatabase();

  async function setup() {
    const fake = processes.fake();
    const databasePath = processes.databasePath();
    const env = feishuProcessEnv(fake, databasePath, { WORK_LEASE_SECONDS: LEASE_SECONDS });
    return { fake, databasePath, env, port: await freePort() };
  }

  /**
   * Starts the service again on the same file. The 5 s run from just before the spawn; how
   * long the process took to answer /healthz goes in the failure message.
   */
  async function restart(env: Record<string, string>, port: number) {
    const at = Date.now();
    await processes.start(env, port);
    const upAfter = Date.now() - at;
    return {
      deadline: at + RESUME_WITHIN_MS,
      late: (what: string) => `${what} ${RESUME_WITHIN_MS} ms after the restart (it answered /healthz after ${upAfter} ms)`,
    };
  }

  it('after the ack, before processing: a burst of 40 is answered once each within 5 s of the restart', async () => {
    const { fake, databasePath, env, port } = await setup();
    // Processing starts in the same tick as the ack, so a kill cannot land between the two by
    // timing alone (a burst of 40 plain /help left 39 done and 1 in processing). Instead: a group
    // message is read only once the bot's open_id is known, and Feishu never answers the first
    // process's token request for it. Every event is stored, acknowledged and claimed, none done.
    fake.failNext({ match: /tenant_access_token/, status: 200, body: {}, delayMs: 'hang' });
    const first = await processes.start(env, port);
    const events = Array.from({ length: 40 }, (_, i) => helpInGroup(fake, 'burst', i));
    const ids = events.map(messageIdOf);
    const acks = await Promise.all(events.map((e) => postToProcess(port, e)));
    expect(acks.map((a) => a.status)).toEqual(events.map(() => 200));
    await fake.waitFor(() => fake.tokenRequests === 1, 10_000, 'the token request');
    await kill(first);

    // Precondition: every event is stored, none is processed, nothing is sent.
    const left = workLeft(databasePath);
    expect(left.inbox.done ?? 0, JSON.stringify(left)).toBe(0);
    expect(
      Object.values(left.inbox).reduce((a, b) => a + b, 0),
      JSON.stringify(left),
    ).toBe(40);
    expect(left.outbox).toEqual({});
    expect(fake.sent()).toEqual([]);

    const restarted = await restart(env, port);
    await untilAnswered(fake, ids, restarted.deadline);
    expect(unanswered(fake, ids), restarted.late('unanswered')).toEqual([]);
    await settle();
    expectOneReplyEach(fake, ids);
  });

  it('anywhere in the pipeline: a burst killed right after its last ack is answered once each within 5 s', async () => {
    const { fake, databasePath, env, port } = await setup();
    const first = await processes.start(env, port);
    const events = Array.from({ length: 40 }, (_, i) => helpFrom('pipe', i));
    const ids = events.map(messageIdOf);
    const acks = await Promise.all(events.map((e) => postToProcess(port, e)));
    await kill(first);
    expect(acks.map((a) => a.status)).toEqual(events.map(() => 200));

    // Precondition: the kill caught work under way (events being processed, replies not yet sent).
    const left = workLeft(databasePath);
    const unfinished = 40 - (left.inbox.done ?? 0) + Object.entries(left.outbox).reduce((n, [status, count]) => n + (status === 'sent' ? 0 : count), 0);
    expect(unfinished, `work left at the kill: ${JSON.stringify(left)}`).toBeGreaterThan(0);

    const restarted = await restart(env, port);
    await untilAnswered(fake, ids, restarted.deadline);
    expect(unanswered(fake, ids), restarted.late(`unanswered (left at the kill: ${JSON.stringify(left)})`)).toEqual([]);
    await settle();
    expectOneReplyEach(fake, ids);
  });

  it('while the reply is in flight and Feishu never answers: sent once within 5 s of the restart', async () => {
    const { fake, env, port } = await setup();
    fake.failNext({ match: replyPath('om_hung'), status: 200, body: {}, delayMs: 'hang' });
    const first = await processes.start(env, port);
    expect((await postToProcess(port, messageEvent({ text: '/help', messageId: 'om_hung' }))).status).toBe(200);
    await fake.waitFor(() => replyRequests(fake, 'om_hung').length === 1, 10_000, 'the reply request');
    await kill(first);
    expect(fake.sent('reply')).toEqual([]);

    const restarted = await restart(env, port);
    await untilAnswered(fake, ['om_hung'], restarted.deadline);
    expect(unanswered(fake, ['om_hung']), restarted.late('unanswered')).toEqual([]);
    await settle();
    expectOneReplyEach(fake, ['om_hung']);
  });

  it('after Feishu took the reply but before the answer arrived: the resend is the same message', async () => {
    const { fake, databasePath, env, port } = await setup();
    fake.failNext({ match: replyPath('om_lost'), status: 200, body: {}, delayMs: 'hang', deliver: true });
    const first = await processes.start(env, port);
    expect((await postToProcess(port, messageEvent({ text: '/help', messageId: 'om_lost' }))).status).toBe(200);
    await fake.waitFor(() => fake.sent('reply').length === 1, 10_000, 'the reply to be recorded');
    await kill(first);
    const [delivered] = fake.sent('reply');
    const stored = () =>
      readDatabase(
        databasePath,
        (db) =>
          db.prepare('SELECT status, message_id AS messageId FROM outbox WHERE uuid = ?').get(delivered!.uuid) as { status: string; messageId: string | null },
      );
    expect(stored().status, 'the outbox row is still being sent at the kill').toBe('sending');

    const restarted = await restart(env, port);
    // The restarted process cannot know the reply arrived: it sends again, with the same uuid,
    // and records the message id Feishu answers with.
    await fake
      .waitFor(() => replyRequests(fake, 'om_lost').length >= 2 && stored().status === 'sent', Math.max(0, restarted.deadline - Date.now()))
      .catch(() => {});
    const resends = replyRequests(fake, 'om_lost');
    expect(resends.length, restarted.late('reply requests')).toBeGreaterThanOrEqual(2);
    expect(resends.map((r) => r.body.uuid)).toEqual(resends.map(() => delivered!.uuid));
    expect(stored(), restarted.late('the outbox row')).toEqual({ status: 'sent', messageId: delivered!.messageId });
    await settle();
    expectOneReplyEach(fake, ['om_lost']);
  });
});

describe('two processes on one database file', () => {
  const processes = useProcessesOnFreshDatabase();

  it('answer every message once, and the survivor takes over what a killed one held within 5 s', async () => {
    const fake = processes.fake();
    const databasePath = processes.databasePath();
    const env = feishuProcessEnv(fake, databasePath, { WORK_LEASE_SECONDS: LEASE_SECONDS });
    const [portA, portB] = [await freePort(), await freePort()];

    // A gets its tenant token before B exists, so A's requests are told apart by their token.
    // (B starts after A has created the schema: two processes migrating a new file at once is not this test.)
    const a = await processes.start(env, portA);
    const warmup = helpFrom('warm', 0);
    await postToProcess(portA, warmup);
    await fake.waitFor(() => unanswered(fake, [messageIdOf(warmup)]).length === 0, 10_000, 'the first reply of A');
    const tokenOfA = replyRequests(fake, messageIdOf(warmup))[0]!.headers.authorization;
    await processes.start(env, portB);

    // A burst split across both, and some events delivered to both at once.
    const split = Array.from({ length: 30 }, (_, i) => helpFrom('split', i));
    const twice = Array.from({ length: 10 }, (_, i) => helpFrom('twice', i));
    const acks = await Promise.all([
      ...split.map((e, i) => postToProcess(i % 2 ? portB : portA, e)),
      ...twice.flatMap((e) => [postToProcess(portA, e), postToProcess(portB, e)]),
    ]);
    expect(acks.map((r) => r.status)).toEqual(acks.map(() => 200));
    const ids = [warmup, ...split, ...twice].map(messageIdOf);
    await fake.waitFor(() => unanswered(fake, ids).length === 0, 15_000, 'a reply to every message').catch(() => {});
    expect(unanswered(fake, ids), 'messages without a reply').toEqual([]);
    await settle();
    expectOneReplyEach(fake, ids);
    // While both live, neither sends what the other is sending: not even a resend with the same uuid.
    expect(Object.values(sendsByUuid(fake)), 'sends per reply').toEqual(ids.map(() => 1));

    // A holds work: a reply whose send hangs in Feishu, and three group events it has claimed
    // but cannot read until Feishu tells it the bot's open_id, which it never does. Then A dies.
    const sending = helpFrom('sending', 0);
    fake.failNext({ match: replyPath(messageIdOf(sending)), status: 200, body: {}, delayMs: 'hang' });
    expect((await postToProcess(portA, sending)).status).toBe(200);
    await fake.waitFor(() => replyRequests(fake, messageIdOf(sending)).length === 1, 10_000, 'the hanging send');
    expect(replyRequests(fake, messageIdOf(sending))[0]!.headers.authorization, 'the hanging send is A’s').toBe(tokenOfA);

    const reading = Array.from({ length: 3 }, (_, i) => helpInGroup(fake, 'reading', i));
    fake.failNext({ match: /bot\/v3\/info/, status: 200, body: {}, delayMs: 'hang' });
    for (const e of reading) expect((await postToProcess(portA, e)).status).toBe(200);
    await fake.waitFor(() => fake.requests.some((r) => r.path === '/open-apis/bot/v3/info'), 10_000, 'the bot info request');
    const readingIds = reading.map(messageIdOf);
    const statuses = () =>
      readDatabase(databasePath, (db) =>
        readingIds.map((id) => (db.prepare('SELECT status FROM inbox_events WHERE message_id = ?').get(id) as { status: string }).status),
      );
    // A's queue claims them just after their acks (it gives way while acks are in flight).
    await fake.waitFor(() => statuses().every((s) => s === 'processing'), 5_000, 'A to claim the group events').catch(() => {});
    expect(statuses(), 'the group events are claimed by A').toEqual(readingIds.map(() => 'processing'));

    const heldIds = [messageIdOf(sending), ...readingIds];
    const killedAt = Date.now();
    await kill(a);

    await untilAnswered(fake, heldIds, killedAt + RESUME_WITHIN_MS);
    expect(unanswered(fake, heldIds), `unanswered ${RESUME_WITHIN_MS} ms after A was killed`).toEqual([]);
    await settle();
    expectOneReplyEach(fake, [...ids, ...heldIds]);
  });
});

describe('a job run from the command line beside the service', () => {
  const processes = useProcessesOnFreshDatabase();
  const jobs: ChildProcess[] = [];
  afterEach(() => {
    for (const c of jobs.splice(0)) c.kill('SIGKILL');
  });

  const OWNERS = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `owner_${k}`);
  /** Reminders of 2025-09-29 go to six owners, one card each. */
  const REMINDERS_AT = '2025-09-29T09:00:00+08:00';
  const createPath = /^POST \/open-apis\/im\/v1\/messages$/;

  async function setup() {
    const fake = processes.fake();
    const databasePath = processes.databasePath();
    const database = openNodeDatabase(databasePath);
    const departments = ['办公室', '财务科', '人事科'];
    await seedLedger(database.db, {
      departments,
      people: [
        { key: 'lead', name: '张书记', roles: ['leader'] },
        ...OWNERS.map((key, i) => ({ key, name: `责任人${i + 1}`, department: departments[i % 3], roles: ['owner' as const] })),
      ],
      measures: OWNERS.map((owner, i) => ({
        code: `1.1.${i + 1}`,
        text: `整改事项${i + 1}`,
        department: departments[i % 3],
        owner,
        leader: 'lead',
        due: '2025-09-30',
      })),
    });
    database.close();
    const env = feishuProcessEnv(fake, databasePath, {
      WORK_LEASE_SECONDS: LEASE_SECONDS,
      // The service's own schedule must not add messages of its own: crons whose latest run is
      // never today's working day, nor a week within the catch-up window.
      REMINDER_CRON: '0 9 1 1 *',
      WEEKLY_SUMMARY_CRON: '0 9 29 2 *',
    });
    const port = await freePort();
    await processes.start(env, port);
    return { fake, env, port, databasePath };
  }

  /** `npm run job -- reminders --at …` as its own process. */
  function runJob(env: Record<string, string>) {
    let out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/job.ts', 'reminders', '--at', REMINDERS_AT], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    jobs.push(child);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, output: () => out, exited: () => exited };
  }

  /**
   * Lets the job's first send through untouched, so the rules added after it apply from the
   * second on. The job starts all six sends before it holds a tenant token, and such sends go
   * one at a time, each after the one before it (src/feishu/sdk-client.ts): the sends after a
   * hung one wait behind it, claimed but not yet sent.
   */
  const firstSendAnswered = (fake: FakeFeishu) => fake.failNext({ match: createPath, status: 200, body: {}, deliver: true });

  const ownerIds = OWNERS.map((k) => `ou_${k}`);

  it('the service leaves the messages the job is sending alone: each reminder goes out once', async () => {
    const { fake, env, port } = await setup();
    // Feishu takes 4 s over the second reminder, the job holding the other five meanwhile.
    const SLOW_MS = 4_000;
    firstSendAnswered(fake);
    fake.failNext({ match: createPath, status: 200, body: {}, delayMs: SLOW_MS, deliver: true });
    const job = runJob(env);
    await fake.waitFor(() => Object.keys(sendsByUuid(fake)).length === 2, 15_000, 'the job’s second reminder');
    const slowSince = Date.now();
    // A message to the service makes it deliver its outbox now, while the job holds its claims.
    expect((await postToProcess(port, messageEvent({ text: '/help', messageId: 'om_beside_job' }))).status).toBe(200);
    await fake.waitFor(() => fake.sent('reply').length === 1, 10_000, 'the service’s reply');
    expect(Date.now() - slowSince, 'the service delivered while the job was still sending').toBeLessThan(SLOW_MS);

    expect(await job.exited(), job.output()).toBe(0);
    expect(job.output().match(/✓ 已送达/g), job.output()).toHaveLength(OWNERS.length);
    await settle();
    expect(Object.values(sendsByUuid(fake)), 'sends per message (six reminders and the reply)').toEqual([...OWNERS, 'om_beside_job'].map(() => 1));
    expect(
      fake
        .sent('create')
        .map((m) => m.target)
        .sort(),
    ).toEqual(ownerIds);
  });

  it('a job killed while Feishu holds its sends: the service delivers each reminder once, within 5 s', async () => {
    const { fake, env, databasePath } = await setup();
    // The first reminder is delivered; Feishu records the second but never answers, and the
    // job holds the other four behind it.
    firstSendAnswered(fake);
    fake.failNext({ match: createPath, status: 200, body: {}, delayMs: 'hang', deliver: true });
    const job = runJob(env);
    await fake.waitFor(() => fake.sent('create').length === 2, 15_000, 'the job’s second reminder');
    const [, lost] = Object.keys(sendsByUuid(fake));
    const killedAt = Date.now();
    job.child.kill('SIGKILL');
    await job.exited();
    expect(
      readDatabase(databasePath, (db) => countByStatus(db, 'outbox')),
      'the job’s outbox at the kill',
    ).toEqual({ sent: 1, sending: OWNERS.length - 1 });

    // The service sends the five unfinished reminders: the one Feishu has again, with its uuid.
    const done = () => Object.keys(sendsByUuid(fake)).length === OWNERS.length && sendsByUuid(fake)[lost!]! >= 2;
    await fake.waitFor(done, Math.max(0, killedAt + RESUME_WITHIN_MS - Date.now())).catch(() => {});
    const sends = sendsByUuid(fake);
    expect(Object.keys(sends), `reminders sent ${RESUME_WITHIN_MS} ms after the job was killed`).toHaveLength(OWNERS.length);
    expect(sends, 'sends per reminder').toEqual(Object.fromEntries(Object.keys(sends).map((uuid) => [uuid, uuid === lost ? 2 : 1])));
    await settle();
    expect(
      fake
        .sent('create')
        .map((m) => m.target)
        .sort(),
    ).toEqual(ownerIds);
  });
});
