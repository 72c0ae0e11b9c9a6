/**
 * npm run bench (last part): the weekly summary on a large ledger. A generated ledger of 20,000
 * measures gets 200,000 progress reports in all (written with plain SQL) and a bound leading
 * group's chat; then the summary is computed (src/services/weekly-summary.ts) and the whole job
 * run (src/jobs/weekly-summary.job.ts: summary, card, outbox), timing each and the longest
 * event-loop pause. Prints figures only; nothing here is a test.
 */
import Database from 'better-sqlite3';
import { WEEKLY_SUMMARY_MAX_ROWS } from '../cards/weekly-summary.card.js';
import { runWeeklySummaryJob } from '../src/jobs/weekly-summary.job.js';
import { buildWeeklySummary } from '../src/services/weekly-summary.js';
import { measure, median, runBench, size, verdict, withBigLedgerService, type Sample } from './measure.js';

const MEASURES = size('BENCH_SUMMARY_MEASURES', 20_000, 1_000);
const REPORTS = size('BENCH_SUMMARY_REPORTS', 200_000, 10_000);
const ROUNDS = size('BENCH_SUMMARY_ROUNDS', 3, 1);
const GOAL_MS = 300;
const TODAY = '2025-10-13';
const GROUP_CHAT = 'oc_bench_leading_group';

/** Tops the progress reports up to `total`, spread over the ledger's measures and the last 90 days. */
function addReports(path: string, campaignId: number, total: number): number {
  const sqlite = new Database(path);
  try {
    const have = (sqlite.prepare('SELECT count(*) AS n FROM progress_reports').get() as { n: number }).n;
    // Measures numbered 0..c-1 in a keyed table, so the report rows find theirs by key.
    sqlite.exec('CREATE TEMP TABLE m (k INTEGER PRIMARY KEY, id INTEGER, owner INTEGER)');
    sqlite.prepare('INSERT INTO temp.m SELECT row_number() OVER (ORDER BY id) - 1, id, owner_person_id FROM measures WHERE campaign_id = ?').run(campaignId);
    const count = (sqlite.prepare('SELECT count(*) AS n FROM temp.m').get() as { n: number }).n;
    sqlite
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO progress_reports (measure_id, author_person_id, text, percent, source, idempotency_key, created_at)
         SELECT m.id, m.owner, '本周推进整改，完成阶段性任务', (n.i * 7) % 100, 'command', 'bench:' || n.i,
                strftime('%Y-%m-%dT%H:%M:%fZ', ?, '-' || (n.i % 90) || ' days', '+' || (n.i % 36000) || ' seconds')
         FROM n JOIN temp.m AS m ON m.k = n.i % ?`,
      )
      .run(Math.max(0, total - have), `${TODAY}T00:00:00Z`, count);
    sqlite
      .prepare('INSERT INTO chat_bindings (chat_id, purpose, campaign_id, bound_by, active, created_at) VALUES (?, ?, ?, ?, 1, ?)')
      .run(GROUP_CHAT, 'leading_group', campaignId, 'bench', `${TODAY}T00:00:00.000Z`);
    return (sqlite.prepare('SELECT count(*) AS n FROM progress_reports').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

const f = (x: number) => x.toFixed(0);
const summarize = (samples: Sample[]) =>
  `p50 ${f(median(samples.map((s) => s.ms)))} ms, max ${f(Math.max(...samples.map((s) => s.ms)))} ms; longest event-loop pause ${f(Math.max(...samples.map((s) => s.blockMs)))} ms`;

// Monday 09:00 in Asia/Shanghai, when the job runs.
const at = new Date(`${TODAY}T01:00:00.000Z`);
let reports = 0;
runBench(() =>
  withBigLedgerService(
    { measures: MEASURES, today: TODAY, now: at.toISOString(), prepare: (path, ledger) => (reports = addReports(path, ledger.campaignId, REPORTS)) },
    async (svc, ledger) => {
      const deps = svc.deps;
      console.log(`\nweekly summary benchmark: ${MEASURES} measures generated, ${reports} progress reports, one leading group's chat; ${ROUNDS} rounds`);
      // As the job asks for it: each list cut to the rows the card and the text show.
      const summary = () => buildWeeklySummary(deps, { campaignId: ledger.campaignId, at, listLimit: WEEKLY_SUMMARY_MAX_ROWS });
      const job = async () => {
        const outcome = await runWeeklySummaryJob(deps, { at, dryRun: true });
        if (outcome.messages.length !== 1) throw new Error(`the summary job built ${outcome.messages.length} messages, expected 1`);
      };
      await summary();
      await job();
      const s = await measure(ROUNDS, summary);
      const j = await measure(ROUNDS, job);
      const t0 = performance.now();
      const real = await runWeeklySummaryJob(deps, { at });
      const realMs = performance.now() - t0;
      if (real.status !== 'done') throw new Error(`the summary job ended ${real.status}`);
      const jobMs = median(j.map((x) => x.ms));
      console.log(`  the summary's data (buildWeeklySummary): ${summarize(s)}`);
      console.log(`  the whole job without writing (summary, card, fallback text; --dry-run): ${summarize(j)}`);
      console.log(`  the job as the Monday cron runs it (claims the week, writes the card to the outbox), once: ${f(realMs)} ms`);
      console.log(`  goal < ${GOAL_MS} ms for the job (p50 of the dry runs): ${verdict(jobMs < GOAL_MS)}`);
    },
  ),
);
