/**
 * npx tsx bench/import.bench.ts: how long a large chat import holds the event loop. A
 * 5,000-measure workbook is sent to the service (real webhook, real SQLite, fake Feishu) and
 * confirmed, once parsed in the worker thread and once inline, while the event loop's delay is
 * sampled; /healthz is asked every 20 ms meanwhile. Prints figures only; nothing here is a test.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startFakeFeishu } from '../tests/helpers/fake-feishu.js';
import { startTestService } from '../tests/helpers/harness.js';
import { ledgerChat, seedImportPeople } from '../tests/helpers/ledger-chat.js';
import { ledgerXlsx } from '../tests/ledger-io/ledger-files.js';

const MEASURES = Number(process.env.BENCH_MEASURES ?? 5000);

async function round(inline: boolean, bytes: Uint8Array) {
  const fake = await startFakeFeishu();
  const svc = await startTestService({ fake });
  if (inline) svc.deps.parseLedger = undefined;
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
  health.sort((a, b) => a - b);
  console.log(
    `${inline ? 'inline parse ' : 'worker thread'}: preview ${(t1 - t0).toFixed(0)} ms, confirm ${(t2 - t1).toFixed(0)} ms; ` +
      `event loop delay max ${ms(loop.max)} ms, p99 ${ms(loop.percentile(99))} ms; /healthz answered ${health.length} times, slowest ${health.at(-1)!.toFixed(0)} ms`,
  );
}

const bytes = await ledgerXlsx(MEASURES);
console.log(`${MEASURES} measures, ${(bytes.length / 1024).toFixed(0)} KB workbook`);
// The first round also pays for loading modules: run each kind twice, alternating.
for (const inline of [true, false, true, false]) await round(inline, bytes);
