/**
 * npm run bench (first part): the service as `npm start` runs it (`node scripts/build.mjs`, then
 * `node dist/entry.node.js` in its own process, Feishu mode, processing on) against a fake Feishu
 * on loopback that enforces the platform's send limits and fails 20 % of sends transiently, next
 * to two baselines built on the official SDK in the same run:
 *   (a) EventDispatcher + adaptDefault with a no-op handler (stores nothing),
 *   (b) the same with a handler that inserts the event into SQLite before answering.
 * Prints ack throughput and latency, how long the burst's replies take to reach the outbox, the
 * delivery rate against the limits, duplicates and losses, and memory. Nothing here is
 * pass/fail; it exits non-zero only when something broke (errors, lost or duplicated messages).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { APP_MESSAGES_PER_SECOND, RECIPIENT_MESSAGES_PER_SECOND } from '../src/feishu/outbox.js';
import { startFakeFeishu, type FakeFeishu } from '../tests/helpers/fake-feishu.js';
import { messageEvent, signedRequest, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../tests/helpers/payloads.js';
import { feishuProcessEnv, freePort, startNodeProcess } from '../tests/helpers/node-process.js';
import { median, size, verdict } from './measure.js';

const CONCURRENCY = 20;
const PEOPLE = 50;
const WARMUP = size('BENCH_WARMUP', 300, 50);
const BURST = size('BENCH_REQUESTS', 2000, 200);
const ROUNDS = size('BENCH_ROUNDS', 3, 1);
/** the offered load at which ack latency is reported, and for how long */
const PACED_RATE = size('BENCH_PACED_RATE', 500, 500);
const PACED_COUNT = Math.round(PACED_RATE * size('BENCH_PACED_SECONDS', 3, 0.4));
const TRANSIENT_FAILURES = 0.2;
const GOALS = { ratio: 1.0, pacedP99Ms: 10, deliveredShare: 0.95, rssMb: 120 };

const problems: string[] = [];

type Built = { body: string; headers: Record<string, string> };
interface Batch {
  payloads: Built[];
  messageIds: string[];
}

/** Signed, encrypted p2p /help messages from PEOPLE different people, each in their own chat. */
async function buildBatch(n: number, tag: string, chatOf: Map<string, string>): Promise<Batch> {
  const payloads: Built[] = [];
  const messageIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const person = String(i % PEOPLE).padStart(2, '0');
    const messageId = `om_b_${tag}_${i}`;
    const chatId = `oc_bench_p2p_${person}`;
    chatOf.set(messageId, chatId);
    messageIds.push(messageId);
    payloads.push(await signedRequest(messageEvent({ text: '/help', openId: `ou_bench_person_${person}`, chatId, messageId, eventId: `ev_b_${tag}_${i}` })));
  }
  return { payloads, messageIds };
}

/** The baselines run as bundled JavaScript, like the service after scripts/build.mjs. */
async function buildAll(): Promise<void> {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('node scripts/build.mjs failed');
  await build({
    entryPoints: ['bench/ingest-server.ts'],
    outfile: 'dist/bench-ingest-server.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

function startBaseline(target: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/bench-ingest-server.js', target, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /PORT (\d+)/.exec(buf);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${target} exited with ${code}`)));
  });
}

interface Memory {
  rss: number;
  anon: number;
  file: number;
}

function memoryMb(pid: number): Memory {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
  return { rss: kb('Rss'), anon: kb('Anonymous'), file: kb('Rss') - kb('Anonymous') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends the payloads over CONCURRENCY keep-alive connections. Without a rate, as fast as the
 * server answers (throughput; latency is then about concurrency / throughput). With a rate, each
 * connection paces itself so the total offered load is `rate` events/s (latency at that load).
 */
async function load(port: number, payloads: Built[], rate?: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const one = (p: Built) =>
    new Promise<void>((resolve) => {
      const started = process.hrtime.bigint();
      const req = request(
        { host: '127.0.0.1', port, path: '/feishu/events', method: 'POST', agent, headers: { ...p.headers, 'content-length': Buffer.byteLength(p.body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            if (res.statusCode !== 200) errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(p.body);
    });
  const t0 = process.hrtime.bigint();
  const gapMs = rate ? (1000 * CONCURRENCY) / rate : 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      let due = Date.now() + (gapMs * w) / CONCURRENCY;
      for (let i = next++; i < payloads.length; i = next++) {
        if (gapMs) {
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
          due += gapMs;
        }
        await one(payloads[i]!);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { rps: payloads.length / seconds, p50: pct(0.5), p99: pct(0.99), errors };
}

interface RoundResult {
  rps: number;
  p99: number;
  pacedP50: number;
  pacedP99: number;
}

interface DubanRound extends RoundResult {
  /** from the last ack of the burst until every reply of the burst was in the outbox */
  drainAfterAckMs: number;
  /** burst size / (first request of the burst .. last reply in the outbox) */
  processedPerSecond: number;
}

async function baselineRound(target: string, tag: string): Promise<RoundResult> {
  const chatOf = new Map<string, string>();
  const warmup = await buildBatch(WARMUP, `${tag}w`, chatOf);
  const burst = await buildBatch(BURST, `${tag}b`, chatOf);
  const paced = await buildBatch(PACED_COUNT, `${tag}p`, chatOf);
  const { child, port } = await startBaseline(target);
  try {
    await sleep(500);
    await load(port, warmup.payloads);
    const r = await load(port, burst.payloads);
    const p = await load(port, paced.payloads, PACED_RATE);
    if (r.errors + p.errors) problems.push(`${target}: ${r.errors + p.errors} non-200 answers`);
    return { rps: r.rps, p99: r.p99, pacedP50: p.p50, pacedP99: p.p99 };
  } finally {
    child.kill('SIGKILL');
  }
}

/** The service's own SQLite file, read-only: how far processing has come. */
function openProgress(path: string) {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  const unfinished = sqlite.prepare("SELECT count(*) AS n FROM inbox_events WHERE status IN ('pending', 'processing')");
  const failed = sqlite.prepare("SELECT count(*) AS n FROM inbox_events WHERE status = 'failed'");
  const replies = sqlite.prepare("SELECT count(DISTINCT receive_id) AS n FROM outbox WHERE kind = 'reply' AND receive_id LIKE ?");
  const doubled = sqlite.prepare("SELECT count(*) AS n FROM (SELECT receive_id FROM outbox WHERE kind = 'reply' GROUP BY receive_id HAVING count(*) > 1)");
  const undeliverable = sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE status IN ('failed', 'skipped')");
  const n = (s: Database.Statement, ...args: unknown[]) => (s.get(...args) as { n: number }).n;
  return {
    /** waits until no event is pending and every message of `tag` has a reply in the outbox */
    async processed(tag: string, count: number, timeoutMs: number): Promise<number> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (n(unfinished) === 0 && n(replies, `om_b_${tag}_%`) >= count) return Date.now();
        if (Date.now() > until)
          throw new Error(
            `replies of ${tag} not in the outbox after ${timeoutMs} ms (${n(replies, `om_b_${tag}_%`)} of ${count}, ${n(unfinished)} events unfinished)`,
          );
        await sleep(50);
      }
    },
    failedEvents: () => n(failed),
    doubledReplies: () => n(doubled),
    undeliverable: () => n(undeliverable),
    close: () => sqlite.close(),
  };
}

interface Delivery {
  replies: number;
  seconds: number;
  perSecond: number;
  /** while the backlog lasted: until 90 % of the replies were delivered */
  sustainedPerSecond: number;
  sustainedSeconds: number;
  /** reply calls per second over the same span, answered or refused: how much of the quota the outbox uses */
  callsPerSecond: number;
  duplicates: number;
  losses: number;
  undeliverable: number;
  counts: FakeFeishu['limitCounts'];
  attempts: number;
  /** seconds from the first reply until 99 % were delivered */
  p99Seconds: number;
  /** reply calls needed by the unluckiest message, and how many messages needed 4 or more */
  maxAttempts: number;
  fourOrMore: number;
}

interface ServiceMemory {
  fresh: Memory;
  idleAfter: Memory;
}

async function dubanRound(tag: string, deliver: boolean): Promise<DubanRound & { delivery?: Delivery; memory?: ServiceMemory }> {
  const chatOf = new Map<string, string>();
  const warmup = await buildBatch(WARMUP, `${tag}w`, chatOf);
  const burst = await buildBatch(BURST, `${tag}b`, chatOf);
  const paced = await buildBatch(PACED_COUNT, `${tag}p`, chatOf);
  const fake = await startFakeFeishu();
  fake.enforceSendLimits({
    appPerSecond: APP_MESSAGES_PER_SECOND,
    chatPerSecond: RECIPIENT_MESSAGES_PER_SECOND,
    transientFailureRate: TRANSIENT_FAILURES,
    chatOfMessage: (id) => chatOf.get(id),
  });
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-service-'));
  const databasePath = join(dir, 'duban.sqlite');
  const port = await freePort();
  // As `npm start` runs it; the environment is the Feishu-mode configuration and nothing else.
  const service = await startNodeProcess(
    // WORK_LEASE_SECONDS back at its default (the tests' environment shortens it).
    feishuProcessEnv(fake, databasePath, { WORK_LEASE_SECONDS: '30', LOG_LEVEL: 'error' }),
    port,
    20_000,
    ['--enable-source-maps', 'dist/entry.node.js'],
  ).catch(async (e) => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const child = service.child;
  let progress: ReturnType<typeof openProgress> | undefined;
  try {
    await sleep(2000);
    const fresh = memoryMb(child.pid!);
    progress = openProgress(databasePath);
    const timeout = (n: number) => 60_000 + n * 50;

    const w = await load(port, warmup.payloads);
    await progress.processed(`${tag}w`, WARMUP, timeout(WARMUP));
    const t0 = Date.now();
    const r = await load(port, burst.payloads);
    const acked = Date.now();
    const done = await progress.processed(`${tag}b`, BURST, timeout(BURST));
    const p = await load(port, paced.payloads, PACED_RATE);
    await progress.processed(`${tag}p`, paced.messageIds.length, timeout(paced.messageIds.length));
    const errors = w.errors + r.errors + p.errors;
    if (errors) problems.push(`duban: ${errors} non-200 answers`);
    const result: DubanRound & { delivery?: Delivery; memory?: ServiceMemory } = {
      rps: r.rps,
      p99: r.p99,
      pacedP50: p.p50,
      pacedP99: p.p99,
      drainAfterAckMs: done - acked,
      processedPerSecond: BURST / ((done - t0) / 1000),
    };
    if (progress.failedEvents()) problems.push(`duban: ${progress.failedEvents()} events parked as failed`);
    if (progress.doubledReplies()) problems.push(`duban: ${progress.doubledReplies()} user messages with two replies in the outbox`);
    if (!deliver) return result;

    // Every user message of the round must be answered once at the fake Feishu.
    const asked = [...warmup.messageIds, ...burst.messageIds, ...paced.messageIds];
    const repliesTo = () => fake.sent('reply').filter((m) => chatOf.has(m.target));
    const expected = asked.length;
    const waitMs = 120_000 + (expected / (APP_MESSAGES_PER_SECOND * 0.5)) * 1000;
    const answered = () => new Set(repliesTo().map((m) => m.target)).size;
    await fake
      .waitFor(() => answered() >= expected || progress!.undeliverable() > 0, waitMs, `${expected} answered messages at the fake Feishu`)
      .catch((e) => problems.push(`duban: ${e.message}`));
    await sleep(3000);
    const replies = repliesTo().sort((a, b) => a.at - b.at);
    const perTarget = new Map<string, number>();
    for (const m of replies) perTarget.set(m.target, (perTarget.get(m.target) ?? 0) + 1);
    const uuids = new Set(replies.map((m) => m.uuid));
    const duplicates = [...perTarget.values()].filter((c) => c > 1).length + (replies.length - uuids.size);
    const losses = asked.filter((id) => !perTarget.has(id)).length;
    const seconds = (replies.at(-1)!.at - replies[0]!.at) / 1000;
    const ninety = Math.floor(replies.length * 0.9);
    const replyCalls = fake.requests.filter((q) => /\/reply$/.test(q.path));
    const callsPer = new Map<string, number>();
    for (const q of replyCalls) callsPer.set(q.path, (callsPer.get(q.path) ?? 0) + 1);
    const sustainedSeconds = (replies[ninety]!.at - replies[0]!.at) / 1000;
    result.delivery = {
      replies: replies.length,
      seconds,
      perSecond: (replies.length - 1) / seconds,
      sustainedPerSecond: ninety / sustainedSeconds,
      sustainedSeconds,
      callsPerSecond: replyCalls.filter((q) => q.at >= replies[0]!.at && q.at <= replies[ninety]!.at).length / sustainedSeconds,
      duplicates,
      losses,
      undeliverable: progress.undeliverable(),
      counts: { ...fake.limitCounts },
      attempts: replyCalls.length,
      p99Seconds: (replies[Math.floor(replies.length * 0.99)]!.at - replies[0]!.at) / 1000,
      maxAttempts: Math.max(...callsPer.values()),
      fourOrMore: [...callsPer.values()].filter((c) => c >= 4).length,
    };
    if (duplicates) problems.push(`duban: ${duplicates} duplicated replies`);
    if (/error/i.test(service.output())) problems.push(`duban logged errors:\n${service.output().slice(0, 2000)}`);
    if (losses) problems.push(`duban: ${losses} user messages without a reply`);
    result.memory = { fresh, idleAfter: memoryMb(child.pid!) };
    return result;
  } finally {
    progress?.close();
    child.kill('SIGKILL');
    await fake.stop().catch((e) => problems.push(`fake Feishu: ${e.message}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RSS of bare Node, of Node with the service's bundle imported (not started), and with the SDK too. */
async function memoryReference(): Promise<Array<{ what: string; memory: Memory }>> {
  const cases = [
    ['bare node', 'setInterval(() => {}, 1e6)'],
    [
      'node + the service bundle imported (dist/entry.node.js: hono, better-sqlite3, drizzle, zod, croner...)',
      "await import('./dist/entry.node.js'); setInterval(() => {}, 1e6)",
    ],
    [
      '  + the official SDK (loaded by the service on its first call to Feishu)',
      "await import('./dist/entry.node.js'); await import('@larksuiteoapi/node-sdk'); setInterval(() => {}, 1e6)",
    ],
  ] as const;
  const out: Array<{ what: string; memory: Memory }> = [];
  for (const [what, code] of cases) {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
    await sleep(2500);
    out.push({ what, memory: memoryMb(child.pid!) });
    child.kill('SIGKILL');
  }
  return out;
}

const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

async function main() {
  await buildAll();
  console.log(`service benchmark: the service as \`npm start\` runs it, next to two SDK baselines, ${ROUNDS} round(s), alternating order`);
  console.log(
    `  each round: ${WARMUP} warm-up, a burst of ${BURST}, then ${PACED_COUNT} paced at ${PACED_RATE}/s; signed, encrypted p2p /help from ${PEOPLE} people, ${CONCURRENCY} keep-alive connections`,
  );
  console.log(`  machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at start`);
  const targets = ['sdk', 'sdk-sqlite', 'duban'] as const;
  const results: Record<(typeof targets)[number], RoundResult[]> = { sdk: [], 'sdk-sqlite': [], duban: [] };
  const dubanRounds: DubanRound[] = [];
  let last: Awaited<ReturnType<typeof dubanRound>> | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      const tag = `${round}${target === 'sdk' ? 'a' : target === 'sdk-sqlite' ? 'b' : 'd'}`;
      let r: RoundResult;
      if (target === 'duban') {
        const d = await dubanRound(tag, round === ROUNDS - 1);
        dubanRounds.push(d);
        if (d.delivery) last = d;
        r = d;
      } else r = await baselineRound(target, tag);
      results[target].push(r);
      console.log(
        `  round ${round + 1} ${target.padEnd(10)} ${f0(r.rps).padStart(6)} acks/s (burst ack p99 ${f1(r.p99)} ms)  at ${PACED_RATE}/s: ack p50 ${f2(r.pacedP50)} ms, p99 ${f2(r.pacedP99)} ms` +
          (target === 'duban' ? `  replies in the outbox ${f0((r as DubanRound).drainAfterAckMs)} ms after the last ack` : ''),
      );
    }
  }
  const med = (t: (typeof targets)[number], k: keyof RoundResult) => median(results[t].map((r) => r[k]));
  const a = { rps: med('sdk', 'rps'), p50: med('sdk', 'pacedP50'), p99: med('sdk', 'pacedP99') };
  const b = { rps: med('sdk-sqlite', 'rps'), p50: med('sdk-sqlite', 'pacedP50'), p99: med('sdk-sqlite', 'pacedP99') };
  const d = { rps: med('duban', 'rps'), p50: med('duban', 'pacedP50'), p99: med('duban', 'pacedP99') };

  console.log(`\n1. Saturated ack throughput (burst of ${BURST}, ${CONCURRENCY} connections; medians of ${ROUNDS}): requests answered 200 per second`);
  console.log(`   (a) SDK EventDispatcher + adaptDefault, no-op handler (stores nothing): ${f0(a.rps)} acks/s`);
  console.log(`   (b) the same, handler inserts the event into SQLite (WAL, NORMAL) first: ${f0(b.rps)} acks/s`);
  console.log(`   duban as \`npm start\` runs it (verify, decrypt, inbox, ack; processing and sending on): ${f0(d.rps)} acks/s`);
  console.log(
    `   ratio duban / (b) ${f2(d.rps / b.rps)} (goal >= ${GOALS.ratio.toFixed(1)}: ${verdict(d.rps / b.rps >= GOALS.ratio)}); duban / (a) ${f2(d.rps / a.rps)}`,
  );
  console.log(
    `   at saturation each request waits its turn: burst ack p99 (a) ${f1(med('sdk', 'p99'))} ms, (b) ${f1(med('sdk-sqlite', 'p99'))} ms, duban ${f1(med('duban', 'p99'))} ms`,
  );

  console.log(`\n2. Ack latency at a paced ${PACED_RATE} events/s (${PACED_COUNT} events; medians of ${ROUNDS}): from sending the request to the whole answer`);
  console.log(
    `   (a) p50 ${f2(a.p50)} ms, p99 ${f2(a.p99)} ms;  (b) p50 ${f2(b.p50)} ms, p99 ${f2(b.p99)} ms;  duban p50 ${f2(d.p50)} ms, p99 ${f2(d.p99)} ms`,
  );
  console.log(`   duban p99 goal <= ${GOALS.pacedP99Ms} ms: ${verdict(d.p99 <= GOALS.pacedP99Ms)} (duban is still delivering the burst's replies meanwhile)`);

  const drain = median(dubanRounds.map((r) => r.drainAfterAckMs));
  const processed = median(dubanRounds.map((r) => r.processedPerSecond));
  console.log(`\n3. After the burst (read from the service's SQLite file, read-only; medians of ${ROUNDS})`);
  console.log(
    `   every reply of the burst was in the outbox ${f0(drain)} ms after the burst's last ack (${f0(processed)} messages/s processed, from the burst's first request)`,
  );
  if (last?.delivery) {
    const v = last.delivery;
    const share = v.callsPerSecond / APP_MESSAGES_PER_SECOND;
    console.log(
      `   delivery (last round, all ${v.replies} replies of its warm-up, burst and paced run), while the backlog lasted (first reply delivered until 90 % were):` +
        ` ${f1(v.callsPerSecond)} calls/s, ${f0(share * 100)} % of the ${APP_MESSAGES_PER_SECOND}/s app quota (goal >= ${f0(GOALS.deliveredShare * 100)} %: ${verdict(share >= GOALS.deliveredShare)});` +
        ` ${f1(v.sustainedPerSecond)} replies/s delivered (${f0((v.sustainedPerSecond / APP_MESSAGES_PER_SECOND) * 100)} %: the calls Feishu failed on purpose count against the quota too)`,
    );
    console.log(
      `     first to last reply: ${f1(v.seconds)} s = ${f1(v.perSecond)}/s (${f0((v.perSecond / APP_MESSAGES_PER_SECOND) * 100)} % of the quota); 99 % were delivered after ${f1(v.p99Seconds)} s;` +
        ` the rest waited out retry backoff (0.5 s x 3^n): ${v.fourOrMore} replies needed 4 or more calls, the unluckiest ${v.maxAttempts}`,
    );
    console.log(
      `     the fake Feishu enforced ${APP_MESSAGES_PER_SECOND}/s per app and ${RECIPIENT_MESSAGES_PER_SECOND}/s per chat and failed ${f0(TRANSIENT_FAILURES * 100)} % of sends within them (half 429 + reset header, half HTTP 500):` +
        ` ${v.attempts} reply calls; refused over the app limit ${v.counts.appThrottled}, over a chat's limit ${v.counts.chatThrottled}; injected 429 ${v.counts.injected429}, 500 ${v.counts.injected500}`,
    );
    console.log(
      `     duplicates (a user message answered twice, or one uuid shown twice): ${v.duplicates} (must be 0); losses (user messages with no reply): ${v.losses} (must be 0); outbox rows given up: ${v.undeliverable}`,
    );
  }

  if (last?.memory) {
    const m = last.memory;
    console.log(`\n5. Memory of the service (RSS = anonymous memory, mostly the JS heap, + mapped files such as the node binary and native modules)`);
    console.log(`   idle after start: ${f0(m.fresh.rss)} MB (anonymous ${f0(m.fresh.anon)}, files ${f0(m.fresh.file)})`);
    const met = m.idleAfter.rss < GOALS.rssMb;
    console.log(
      `   idle after the last round's burst, delivered: ${f0(m.idleAfter.rss)} MB (anonymous ${f0(m.idleAfter.anon)}, files ${f0(m.idleAfter.file)}); goal < ${GOALS.rssMb} MB: ${verdict(met)}`,
    );
    console.log('   for reference, other processes on this machine, 2.5 s after start:');
    for (const r of await memoryReference()) console.log(`     ${r.what}: ${f0(r.memory.rss)} MB (anonymous ${f0(r.memory.anon)}, files ${f0(r.memory.file)})`);
  }
  console.log(`   load average at the end ${loadavg()[0]!.toFixed(1)}: other processes on this shared machine inflate every figure alike`);

  if (problems.length) {
    console.log(`\nSOMETHING BROKE:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
