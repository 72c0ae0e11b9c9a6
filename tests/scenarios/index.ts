/**
 * Every shared scenario, registered as vitest tests against one target. Add a scenario
 * module's list here and it runs on Node and under wrangler dev alike.
 */
import { it } from 'vitest';
import { concurrencyScenarios } from './concurrency.scenarios.js';
import { decisionScenarios } from './decisions.scenarios.js';
import { evidenceScenarios } from './evidence.scenarios.js';
import { importScenarios } from './import.scenarios.js';
import { jobScenarios } from './jobs.scenarios.js';
import { ledgerScenarios } from './ledger.scenarios.js';
import { listScenarios } from './lists.scenarios.js';
import { spineScenarios } from './spine.scenarios.js';
import type { Scenario, ScenarioTarget } from './target.js';

// Scenarios that rewrite the shared ledger (import) come last: on wrangler dev all scenarios share one database.
// The lists come first, while the ledger is as seeded.
export const sharedScenarios: Scenario[] = [
  ...listScenarios,
  ...spineScenarios,
  ...ledgerScenarios,
  ...jobScenarios,
  ...decisionScenarios,
  ...concurrencyScenarios,
  ...evidenceScenarios,
  ...importScenarios,
];

const LOG_TAIL = 6_000;

/**
 * Registers one `it` per scenario; `target()` is read when the test runs (after beforeAll).
 * A failure carries the tail of the service's log, which is all there is to go on for a child process.
 */
export function runSharedScenarios(target: () => ScenarioTarget, timeoutMs = 60_000): void {
  for (const scenario of sharedScenarios) {
    it(
      scenario.name,
      async () => {
        const t = target();
        try {
          await scenario.run(t);
        } catch (e) {
          if (e instanceof Error) e.message += `\n--- ${t.name} log (tail) ---\n${t.logs().slice(-LOG_TAIL)}`;
          throw e;
        }
      },
      scenario.timeoutMs ?? timeoutMs,
    );
  }
}
