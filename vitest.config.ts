import { defineConfig } from 'vitest/config';

/**
 * Three projects, so the fast part runs on its own (npm run test:unit) while `vitest run`
 * (npm test, .ci/run) still runs all of them:
 * - unit: pure code (cards, ledger-io parsing, domain rules, views); no database, no server, no process.
 * - service: the service in this process: real SQLite files, the real webhook, the fake Feishu.
 *   A test file not listed below lands here.
 * - workers: `wrangler dev`, and tests that start or kill child processes and threads.
 */
const unit = [
  'tests/architecture/**/*.test.ts',
  'tests/cards/**/*.test.ts',
  'tests/domain/**/*.test.ts',
  'tests/views/**/*.test.ts',
  'tests/commands/args.test.ts',
  'tests/commands/history-wording.test.ts',
  'tests/db/plain-query.test.ts',
  'tests/feishu/ack-first-queue.test.ts',
  'tests/feishu/ws-config.test.ts',
  'tests/feishu/ws-health.test.ts',
  'tests/jobs/job-cards.test.ts',
  'tests/jobs/scheduler-config.test.ts',
  'tests/ledger-io/deadline.test.ts',
  'tests/ledger-io/document.test.ts',
  'tests/ledger-io/export.test.ts',
  'tests/ledger-io/row-limit.test.ts',
  'tests/ledger-io/spreadsheet.test.ts',
  'tests/ledger-io/text-layouts.test.ts',
  'tests/ledger-io/traditional.test.ts',
  'tests/ledger-io/word-tables.test.ts',
  'tests/playground/render.test.ts',
  'tests/services/calendar.test.ts',
  'tests/services/deadline-state.test.ts',
  'tests/services/number-words.test.ts',
  'tests/workers/worker-config.test.ts',
];

const workers = [
  'tests/workers/wrangler-dev.test.ts',
  'tests/workers/wrangler-r2.test.ts',
  'tests/workers/migrations.test.ts',
  'tests/feishu/crash-recovery.test.ts',
  'tests/feishu/quarantine.test.ts',
  'tests/feishu/restart.test.ts',
  'tests/feishu/startup.test.ts',
  'tests/feishu/ws-process.test.ts',
  'tests/jobs/job-cli.test.ts',
  'tests/ledger-io/cli.test.ts',
  'tests/ledger-io/poison-file.test.ts',
  'tests/playground/render-browser.test.ts',
  'tests/runtime/**/*.test.ts',
  'tests/playground/story.browser.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      { extends: true, test: { name: 'service', include: ['tests/**/*.test.ts'], exclude: [...unit, ...workers] } },
      { extends: true, test: { name: 'workers', include: workers } },
    ],
  },
});
