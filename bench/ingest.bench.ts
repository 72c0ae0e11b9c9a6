/**
 * npm run bench: throughput and ack latency of the durable ingest path against the official
 * SDK's EventDispatcher + adaptDefault, on the same signed and encrypted payloads, measured
 * in the same run. Prints both figures and their ratio; nothing here is a pass/fail test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { messageEvent, signedRequest, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../tests/helpers/payloads.js';

const CONCURRENCY = 20;
const WARMUP = 1000;
const MEASURED = Number(process.env.BENCH_REQUESTS ?? 6000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Built = { body: string; headers: Record<string, string> };

async function buildPayloads(n: number, tag: string): Promise<Built[]> {
  const out: Built[] = [];
  for (let i = 0; i < n; i++) out.push(await signedRequest(messageEvent({ text: `/report 1.1.${i % 9} 第${i}次汇报进展`, messageId: `om_${tag}_${i}`, eventId: `ev_${tag}_${i}` })));
  return out;
}

function startTarget(target: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ingest-server.ts', target, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
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

async function load(port: number, payloads: Built[]): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
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
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < payloads.length; i = next++) await one(payloads[i]!);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { rps: payloads.length / seconds, p50: pct(0.5), p99: pct(0.99), errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  console.log(`ingest benchmark: ${ROUNDS} rounds x ${MEASURED} distinct signed+encrypted events, ${CONCURRENCY} concurrent connections`);
  const results: Record<string, Array<{ rps: number; p50: number; p99: number }>> = { duban: [], sdk: [] };
  let idleRss = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 === 0 ? ['sdk', 'duban'] : ['duban', 'sdk']) {
      const { child, port } = await startTarget(target);
      await new Promise((r) => setTimeout(r, 500));
      if (target === 'duban') idleRss = Math.max(idleRss, rssMb(child.pid!));
      await load(port, await buildPayloads(WARMUP, `${target}w${round}`));
      const r = await load(port, await buildPayloads(MEASURED, `${target}m${round}`));
      if (r.errors) console.log(`  ${target}: ${r.errors} non-200 answers`);
      results[target]!.push(r);
      console.log(`  round ${round + 1} ${target.padEnd(5)} ${r.rps.toFixed(0).padStart(6)} events/s  ack p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`);
      child.kill('SIGKILL');
    }
  }
  const d = { rps: median(results.duban!.map((r) => r.rps)), p99: median(results.duban!.map((r) => r.p99)) };
  const s = { rps: median(results.sdk!.map((r) => r.rps)), p99: median(results.sdk!.map((r) => r.p99)) };
  console.log('\nmedians');
  console.log(`  SDK EventDispatcher + adaptDefault (baseline, no persistence): ${s.rps.toFixed(0)} events/s, ack p99 ${s.p99.toFixed(2)} ms`);
  console.log(`  duban durable ingest (verify, decrypt, inbox on SQLite, ack):  ${d.rps.toFixed(0)} events/s, ack p99 ${d.p99.toFixed(2)} ms`);
  console.log(`  throughput ratio duban / SDK: ${(d.rps / s.rps).toFixed(2)}`);
  console.log(`  idle RSS of the duban service: ${idleRss.toFixed(0)} MB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
