/**
 * npx tsx bench/import.bench.ts: how long a large chat import takes and holds the event loop. A
 * 5,000-measure workbook is sent to the service (real webhook, real SQLite, fake Feishu) and
 * confirmed, parsed inline and in the worker thread (the bundled worker): on the thread `npm start`
 * keeps ready (started and warmed up at start, or replaced after 10 idle minutes), on a thread
 * that just read a large file, and on a cold thread started as the file arrives (how each file
 * was read before threads were kept), while the event loop's delay is sampled; /healthz is asked
 * every 20 ms meanwhile. Prints figures only; nothing here is a test.
 */
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startFakeFeishu } from '../tests/helpers/fake-feishu.js';
import { startTestService } from '../tests/helpers/harness.js';
import { ledgerChat, seedImportPeople } from '../tests/helpers/ledger-chat.js';
import { ledgerCsv, ledgerXlsx } from '../tests/ledger-io/ledger-files.js';
import { median, QUICK, size, verdict } from './measure.js';
import { createWorkerLedgerParser, DEFAULT_PARSE_MEMORY_MB, DEFAULT_PARSE_TIMEOUT_MS } from '../src/runtime/worker-ledger-parser.js';

const MEASURES = size('BENCH_IMPORT_MEASURES', 5000, 500);
/** the goal for preview plus confirmation, as the service runs it (parsed in the worker thread) */
const GOAL_MS = 3000;
type Kind = 'inline' | 'ready' | 'warm' | 'cold';
const LABELS: Record<Kind, string> = {
  inline: 'inline parse                       ',
  ready: 'worker, a thread ready beforehand  ',
  warm: 'worker, thread after a large file  ',
  cold: 'worker, thread started for the file',
};
const totals: Record<Kind, number[]> = { inline: [], ready: [], warm: [], cold: [] };

async function round(kind: Kind, bytes: Uint8Array) {
  const fake = await startFakeFeishu();
  const svc = await startTestService({ fake });
  // As `npm start` runs it: the worker thread loads the bundle scripts/build.mjs wrote, not the
  // TypeScript source (which a worker under tsx would compile on every start).
  const parser =
    kind === 'inline'
      ? undefined
      : createWorkerLedgerParser({
          workerUrl: new URL('../dist/ledger-parse.worker.js', import.meta.url),
          maxMemoryMb: DEFAULT_PARSE_MEMORY_MB,
          timeoutMs: DEFAULT_PARSE_TIMEOUT_MS,
          log: svc.log,
          keepWarm: kind !== 'cold',
        });
  // The cold kind has no prewarm: the thread starts when the parse is asked for.
  svc.deps.parseLedger = kind === 'cold' ? (f, b, c) => parser!(f, b, c) : parser;
  if (kind === 'ready') {
    parser!.prewarm();
    // npm start warms the thread up while the service starts and waits for messages.
    await parser!('warm-up.csv', ledgerCsv(1), { referenceDate: '2024-09-14' });
  }
  if (kind === 'warm') await parser!('台账.xlsx', bytes, { referenceDate: '2024-09-14' });
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
  await parser?.close();
  await svc.close();
  await fake.stop();
  if (!preview.includes(`${MEASURES}条整改措施`) || !confirmed.includes(`新增${MEASURES}条`)) throw new Error('the import did not go through');
  const ms = (ns: number) => (ns / 1e6).toFixed(0);
  totals[kind].push(t2 - t0);
  health.sort((a, b) => a - b);
  console.log(
    `${LABELS[kind]}: preview ${(t1 - t0).toFixed(0)} ms, confirm ${(t2 - t1).toFixed(0)} ms; ` +
      `event loop delay max ${ms(loop.max)} ms, p99 ${ms(loop.percentile(99))} ms; /healthz answered ${health.length} times, slowest ${health.at(-1)!.toFixed(0)} ms`,
  );
}

if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) throw new Error('node scripts/build.mjs failed');
const bytes = await ledgerXlsx(MEASURES);
console.log(`\nimport benchmark: ${MEASURES} measures, ${(bytes.length / 1024).toFixed(0)} KB workbook, sent in chat (preview, then 确认导入)`);
// The first round also pays for loading modules in this process: run each kind twice, alternating.
const kinds: Kind[] = ['inline', 'ready', 'warm', 'cold'];
for (const kind of QUICK ? kinds : [...kinds, ...kinds]) await round(kind, bytes);
for (const kind of ['ready', 'warm', 'cold'] as const) {
  const total = median(totals[kind]);
  // The service starts its thread when a file arrives (during the download; instant here), and
  // keeps it for the next file: 'cold' is the first file, 'warm' the next ones.
  const goal =
    kind === 'cold' || kind === 'warm'
      ? `goal < ${GOAL_MS} ms: ${verdict(total < GOAL_MS)} (${kind === 'cold' ? 'the first file, as the service reads it' : 'a later file'})`
      : '(not how the service reads a file)';
  console.log(`  import of ${MEASURES} measures, preview + confirmation, ${LABELS[kind].trim()}: ${total.toFixed(0)} ms (median); ${goal}`);
}
