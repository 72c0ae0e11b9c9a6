/**
 * npm run bench: throughput and ack latency of the durable ingest path against the official
 * SDK's EventDispatcher + adaptDefault, on the same signed and encrypted payloads, measured
 * in the same run. Prints both figures and their ratio; nothing here is a pass/fail test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startFakeFeishu } from '../tests/helpers/fake-feishu.js';
import { messageEvent, signedRequest, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../tests/helpers/payloads.js';

const CONCURRENCY = 20;
const WARMUP = 1000;
const MEASURED = Number(process.env.BENCH_REQUESTS ?? 6000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** the offered load at which ack latency is reported */
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 500);

type Built = { body: string; headers: Record<string, string> };

async function buildPayloads(n: number, tag: string): Promise<Built[]> {
  const out: Built[] = [];
  for (let i = 0; i < n; i++) out.push(await signedRequest(messageEvent({ text: `/report 1.1.${i % 9} 第${i}次汇报进展`, messageId: `om_${tag}_${i}`, eventId: `ev_${tag}_${i}` })));
  return out;
}

/** Both targets run as plain JavaScript, bundled the same way, so neither pays for a TypeScript loader. */
async function buildTargets(): Promise<void> {
  const common = { bundle: true, platform: 'node' as const, format: 'esm' as const, target: 'node20', packages: 'external' as const, logLevel: 'warning' as const };
  await build({ ...common, entryPoints: ['bench/ingest-server.ts'], outfile: 'dist/bench-ingest-server.js' });
  await build({ ...common, entryPoints: ['src/entry.node.ts'], outfile: 'dist/entry.node.js' });
}

function startTarget(target: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/bench-ingest-server.js', target, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /PORT (\d+)/.exec(buf);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${target} exited with ${code}`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/**
 * Sends the payloads over CONCURRENCY keep-alive connections. Without a rate, as fast as the
 * server answers (throughput; latency is then just concurrency / throughput). With a rate, each
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
      const req = request({ host: '127.0.0.1', port, path: '/feishu/events', method: 'POST', agent, headers: { ...p.headers, 'content-length': Buffer.byteLength(p.body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (res.statusCode !== 200) errors++;
          resolve();
        });
      });
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
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The real service (build output, Feishu mode against a loopback fake): RSS when fresh and after use. */
async function measureServiceMemory(): Promise<{ fresh: number; afterUse: number; handled: number }> {
  const fake = await startFakeFeishu();
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-rss-'));
  const port = 40000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['dist/entry.node.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATABASE_PATH: join(dir, 'duban.sqlite'),
      FEISHU_APP_ID: fake.appId,
      FEISHU_APP_SECRET: fake.appSecret,
      FEISHU_BASE_URL: fake.url,
      FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const fresh = rssMb(child.pid!);
    const handled = 200;
    const payloads = await Promise.all(Array.from({ length: handled }, (_, i) => signedRequest(messageEvent({ text: '/help', messageId: `om_rss_${i}` }))));
    await load(port, payloads);
    await fake.waitFor(() => fake.sent('reply').length >= handled, 60_000, 'the replies');
    await new Promise((r) => setTimeout(r, 3000));
    return { fresh, afterUse: rssMb(child.pid!), handled };
  } finally {
    child.kill('SIGKILL');
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  await buildTargets();
  console.log(`ingest benchmark: ${ROUNDS} rounds x ${MEASURED} distinct signed+encrypted events, ${CONCURRENCY} concurrent connections`);
  const results: Record<string, Array<{ rps: number; p50: number; p99: number; pacedP50: number; pacedP99: number }>> = { duban: [], sdk: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 === 0 ? ['sdk', 'duban'] : ['duban', 'sdk']) {
      const { child, port } = await startTarget(target);
      await new Promise((r) => setTimeout(r, 500));
      await load(port, await buildPayloads(WARMUP, `${target}w${round}`));
      const r = await load(port, await buildPayloads(MEASURED, `${target}m${round}`));
      if (r.errors) console.log(`  ${target}: ${r.errors} non-200 answers`);
      const paced = await load(port, await buildPayloads(PACED_RATE * 5, `${target}p${round}`), PACED_RATE);
      results[target]!.push({ ...r, pacedP50: paced.p50, pacedP99: paced.p99 });
      console.log(
        `  round ${round + 1} ${target.padEnd(5)} ${r.rps.toFixed(0).padStart(6)} events/s (saturated, ack p99 ${r.p99.toFixed(1)} ms)` +
          `  at ${PACED_RATE}/s: ack p50 ${paced.p50.toFixed(2)} ms, p99 ${paced.p99.toFixed(2)} ms`,
      );
      child.kill('SIGKILL');
    }
  }
  const summary = (rs: (typeof results)[string]) => ({ rps: median(rs.map((r) => r.rps)), p99: median(rs.map((r) => r.pacedP99)), p50: median(rs.map((r) => r.pacedP50)) });
  const d = summary(results.duban!);
  const s = summary(results.sdk!);
  console.log('\nmedians');
  console.log(`  SDK EventDispatcher + adaptDefault (baseline, no persistence): ${s.rps.toFixed(0)} events/s; at ${PACED_RATE}/s ack p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`);
  console.log(`  duban durable ingest (verify, decrypt, inbox on SQLite, ack):  ${d.rps.toFixed(0)} events/s; at ${PACED_RATE}/s ack p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms`);
  console.log(`  throughput ratio duban / SDK: ${(d.rps / s.rps).toFixed(2)}`);
  const memory = await measureServiceMemory();
  console.log(`  RSS of the service as \`npm start\` runs it, connected to a (loopback) Feishu:`);
  console.log(`    idle after start: ${memory.fresh.toFixed(0)} MB; idle after answering ${memory.handled} /help messages: ${memory.afterUse.toFixed(0)} MB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
