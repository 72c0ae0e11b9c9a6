/**
 * npx tsx bench/import.bench.ts: how long a large chat import holds the event loop. A
 * 5,000-measure workbook is sent to the service (real webhook, real SQLite, fake Feishu) and
 * confirmed, once parsed in the worker thread (the bundled worker, as `npm start` runs it) and once inline, while the event loop's delay is
 * sampled; /healthz is asked every 20 ms meanwhile. Prints figures only; nothing here is a test.
 */
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startFakeFeishu } from '../tests/helpers/fake-feishu.js';
import { startTestService } from '../tests/helpers/harness.js';
import { ledgerChat, seedImportPeople } from '../tests/helpers/ledger-chat.js';
import { ledgerXlsx } from '../tests/ledger-io/ledger-files.js';
import { median, QUICK, size, verdict } from './measure.js';
import { createWorkerLedgerParser, DEFAULT_PARSE_MEMORY_MB, DEFAULT_PARSE_TIMEOUT_MS } from '../src/runtime/worker-ledger-parser.js';

const MEASURES = size('BENCH_IMPORT_MEASURES', 5000, 500);
/** the goal for preview plus confirmation, as the service runs it (parsed in the worker thread) */
const GOAL_MS = 3000;
const totals: number[] = [];

async function round(inline: boolean, bytes: Uint8Array) {
  const fake = await startFakeFeishu();
  const svc = await startTestService({ fake });
  // As `npm start` runs it: the worker thread loads the bundle scripts/build.mjs wrote, not the
  // TypeScript source (which a worker under tsx would compile on every start).
  svc.deps.parseLedger = inline
    ? undefined
    : createWorkerLedgerParser({ workerUrl: new URL('../dist/ledger-parse.worker.js', import.meta.url), maxMemoryMb: DEFAULT_PARSE_MEMORY_MB, timeoutMs: DEFAULT_PARSE_TIMEOUT_MS, log: svc.log });
  await seedImportPeople(svc);
  const chat = ledgerChat(svc, fake);
  const health: number[] = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const t = performance.now();
      await svc.app.request('/healthz');
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = performance.now();
  const preview = await chat.sendFile('台账.xlsx', bytes);
  const t1 = performance.now();
  const confirmed = await chat.say('确认导入');
  const t2 = performance.now();
  loop.disable();
  polling = false;
  await poll;
  await svc.close();
  await fake.stop();
  if (!preview.includes(`${MEASURES}条整改措施`) || !confirmed.includes(`新增${MEASURES}条`)) throw new Error('the import did not go through');
  const ms = (ns: number) => (ns / 1e6).toFixed(0);
  if (!inline) totals.push(t2 - t0);
  health.sort((a, b) => a - b);
  console.log(
    `${inline ? 'inline parse ' : 'worker thread'}: preview ${(t1 - t0).toFixed(0)} ms, confirm ${(t2 - t1).toFixed(0)} ms; ` +
      `event loop delay max ${ms(loop.max)} ms, p99 ${ms(loop.percentile(99))} ms; /healthz answered ${health.length} times, slowest ${health.at(-1)!.toFixed(0)} ms`,
  );
}

if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) throw new Error('node scripts/build.mjs failed');
const bytes = await ledgerXlsx(MEASURES);
console.log(`\nimport benchmark: ${MEASURES} measures, ${(bytes.length / 1024).toFixed(0)} KB workbook, sent in chat (preview, then 确认导入)`);
// The first round also pays for loading modules: run each kind twice, alternating.
for (const inline of QUICK ? [false, true] : [true, false, true, false]) await round(inline, bytes);
const total = median(totals);
console.log(`  import of ${MEASURES} measures, preview + confirmation, parsed in the worker thread as the service does: ${total.toFixed(0)} ms (median); goal < ${GOAL_MS} ms: ${verdict(total < GOAL_MS)}`);
