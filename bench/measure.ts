/**
 * What the benchmarks share. Sizes: each can be set by its environment variable; BENCH_QUICK=1
 * picks small defaults so the whole `npm run bench` finishes in under two minutes (a check after
 * a change, not figures to quote). Timing: wall time and the longest event-loop pause.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createFixedClock } from '../src/clock.js';
import { openNodeDatabase } from '../src/entry.node.js';
import { seedBigLedger, type BigLedger, type BigLedgerOptions } from '../tests/helpers/big-ledger.js';
import { startFakeFeishu } from '../tests/helpers/fake-feishu.js';
import { startTestService, tempDir, type TestService } from '../tests/helpers/harness.js';

export const QUICK = process.env.BENCH_QUICK === '1';

export function size(variable: string, full: number, quick: number): number {
  const set = process.env[variable];
  if (set === undefined || set === '') return QUICK ? quick : full;
  const n = Number(set);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${variable} must be a positive number, got ${set}`);
  return n;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** "met" or "NOT met", for the goal lines every benchmark prints. */
export const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

export interface Sample {
  ms: number;
  blockMs: number;
}

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

/** Runs `f` `rounds` times; each time the wall time and the longest event-loop delay during it. */
export async function measure(rounds: number, f: () => Promise<unknown>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 20));
    loop.reset();
    // The monitor measures from its first tick after a reset: let it tick before starting.
    await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await f();
    const ms = performance.now() - t0;
    // Let the monitor's timer fire once more, so a block at the very end is recorded.
    await new Promise((r) => setTimeout(r, 5));
    samples.push({ ms, blockMs: loop.max / 1e6 });
  }
  return samples;
}

/**
 * A generated large ledger (tests/helpers/big-ledger.ts) in a migrated SQLite file, `prepare`d
 * further with plain SQL, served by the in-process service at a pinned `now`; removed afterwards.
 */
export async function withBigLedgerService<T>(
  o: BigLedgerOptions & { now: string; prepare?: (path: string, ledger: BigLedger) => void },
  run: (svc: TestService, ledger: BigLedger) => Promise<T>,
): Promise<T> {
  const dir = tempDir('duban-bench-ledger-');
  const path = join(dir.path, 'duban.sqlite');
  openNodeDatabase(path).close();
  const ledger = seedBigLedger(path, o);
  o.prepare?.(path, ledger);
  const fake = await startFakeFeishu();
  const svc = await startTestService({ fake, clock: createFixedClock(o.now), databasePath: path });
  try {
    return await run(svc, ledger);
  } finally {
    await svc.close(false);
    await fake.stop();
    dir.remove();
  }
}

/** Runs a benchmark's main; any error ends the process with code 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
