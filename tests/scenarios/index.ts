/**
 * Every shared scenario, registered as vitest tests against one target. Add a scenario
 * module's list here and it runs on Node and under wrangler dev alike.
 */
import { it } from 'vitest';
import { spineScenarios } from './spine.scenarios.js';
import type { Scenario, ScenarioTarget } from './target.js';

export const sharedScenarios: Scenario[] = [...spineScenarios];

/** Registers one `it` per scenario; `target()` is read when the test runs (after beforeAll). */
export function runSharedScenarios(target: () => ScenarioTarget, timeoutMs = 60_000): void {
  for (const scenario of sharedScenarios) it(scenario.name, () => scenario.run(target()), timeoutMs);
}
