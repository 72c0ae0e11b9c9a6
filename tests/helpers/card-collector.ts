/**
 * Every card a test renders is registered here, and `checkCollectedCards()` (called at
 * the end of a test file) adds a test that holds all of them to the platform limits.
 * Tests elsewhere (commands, callbacks) can register the cards they see the same way.
 */
import { describe, expect, it } from 'vitest';
import { checkCardLimits } from '../../cards/limits.js';
import { cardSamples } from '../../scripts/card-samples.js';

type Collected = { label: string; card: unknown };
const collected: Collected[] = [];

/** Registers a rendered card (returned unchanged, so it can wrap a render call). */
export function collectCard<T>(label: string, card: T): T {
  collected.push({ label, card });
  return card;
}

export function collectedCards(): readonly Collected[] {
  return collected;
}

/** Call once, at the end of a test file: one test over every card collected by it. */
export function checkCollectedCards(): void {
  describe('collected cards', () => {
    it('are all within the card JSON 2.0 limits', () => {
      expect(collected.length).toBeGreaterThan(0);
      const problems = collected.flatMap(({ label, card }) => checkCardLimits(card).map((v) => `${label}: ${v.rule} at ${v.path}: ${v.message}`));
      expect(problems).toEqual([]);
    });
  });
}

/** Snapshot tests for every sample of one card type (files paste into the card builder). */
export function snapshotCardSamples(type: string): void {
  const samples = cardSamples().filter((s) => s.type === type);
  it('has samples to snapshot', () => expect(samples.length).toBeGreaterThan(0));
  for (const sample of samples) {
    it(`renders ${sample.state}`, async () => {
      collectCard(`${type}--${sample.state}`, sample.card);
      await expect(`${JSON.stringify(sample.card, null, 2)}\n`).toMatchFileSnapshot(`../cards/__snapshots__/${type}--${sample.state}.json`);
    });
  }
}
