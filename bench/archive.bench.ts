/**
 * npx tsx bench/archive.bench.ts: memory and time of writing a large evidence archive. Synthetic
 * evidence files (random bytes, which do not compress, BENCH_ARCHIVE_MB in all, 20 MB each) are
 * kept in a folder as the evidence store keeps them, and the archive is written to a file as
 * `npm run export -- --archive` writes it, while the process's resident memory is sampled. The
 * writer streams each file through, so the growth must stay far below the archive's size.
 * Prints figures only; nothing here is a test.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, openSync, writeSync, closeSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ArchiveEntry } from '../src/ledger-io/archive.js';
import { writeArchiveZip } from '../src/runtime/archive-zip.node.js';
import { tempDir } from '../tests/helpers/harness.js';
import { size, verdict } from './measure.js';

const TOTAL_MB = size('BENCH_ARCHIVE_MB', 200, 40);
const FILE_MB = 20;
/** the goal: resident memory grows by less than this share of the archive */
const GOAL_SHARE = 0.25;

const dir = tempDir('duban-archive-bench-');
try {
  // Files written a megabyte at a time, so the bench itself holds none of them.
  const entries: ArchiveEntry[] = [{ path: '整改台账.xlsx', bytes: new Uint8Array(64 * 1024) }];
  for (let i = 0; i * FILE_MB < TOTAL_MB; i++) {
    const hash = createHash('sha256');
    const temp = join(dir.path, `file-${i}.tmp`);
    const fd = openSync(temp, 'w');
    for (let mb = 0; mb < Math.min(FILE_MB, TOTAL_MB - i * FILE_MB); mb++) {
      const chunk = randomBytes(1024 * 1024);
      hash.update(chunk);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    const key = hash.digest('hex');
    renameSync(temp, join(dir.path, key));
    entries.push({ path: `${i + 1}.1.1 措施/现场录像${i + 1}.mp4`, stored: { storage: 'local', key, size: statSync(join(dir.path, key)).size, sha256: key } });
  }

  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const out = join(dir.path, '整改档案.zip');
  const outcome = await writeArchiveZip(entries, createWriteStream(out), { evidenceDir: dir.path });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  const growthMb = (peak - baseline) / 1024 / 1024;
  const zipMb = outcome.bytes / 1024 / 1024;
  console.log(`evidence archive of ${entries.length - 1} files, ${TOTAL_MB} MB of evidence`);
  console.log(`  written in ${(ms / 1000).toFixed(1)} s, zip ${zipMb.toFixed(1)} MB`);
  console.log(`  resident memory: ${(baseline / 1024 / 1024).toFixed(0)} MB before, peak ${(peak / 1024 / 1024).toFixed(0)} MB (+${growthMb.toFixed(1)} MB)`);
  console.log(
    `  goal: growth below ${(GOAL_SHARE * 100).toFixed(0)}% of the archive (${(zipMb * GOAL_SHARE).toFixed(0)} MB): ${verdict(growthMb < zipMb * GOAL_SHARE)}`,
  );
} finally {
  dir.remove();
}
