/** Lookups by long key lists stay under D1's 100 bound parameters per statement. */
import { describe, expect, it } from 'vitest';
import { latestReports } from '../../db/queries/ledger-export.js';
import { MAX_BOUND_PARAMS, queryInSlices } from '../../db/queries/bound-params.js';
import { useServiceDeps } from '../ledger-io/fixtures.js';
import { seedLedger } from '../helpers/seed-ledger.js';

describe('queries in slices', () => {
  it('never hands a query more keys than can be bound, and returns every row', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => i);
    const seen: number[] = [];
    const rows = await queryInSlices(
      keys,
      async (slice) => {
        seen.push(slice.length);
        return slice.map((k) => k * 2);
      },
      3,
    );
    expect(Math.max(...seen)).toBeLessThanOrEqual(MAX_BOUND_PARAMS - 3);
    expect(rows).toEqual(keys.map((k) => k * 2));
    expect(await queryInSlices([], async () => [1])).toEqual([]);
  });

  const ctx = useServiceDeps('2025-10-09T02:00:00Z');
  it('finds the newest report of each of 150 measures', async () => {
    const measures = Array.from({ length: 150 }, (_, i) => ({
      code: `${Math.floor(i / 50) + 1}.${Math.floor((i % 50) / 10) + 1}.${(i % 10) + 1}`,
      owner: 'wang',
      due: '2025-12-31',
      reports: [
        { at: '2025-09-01T02:00:00.000Z', text: `旧进展${i}` },
        { at: '2025-10-01T02:00:00.000Z', text: `新进展${i}` },
      ],
    }));
    const ledger = await seedLedger(ctx.deps.db, { measures });
    const ids = Object.values(ledger.measures);
    const latest = await latestReports(ctx.deps.db, ids);
    expect(latest.size).toBe(150);
    expect(ids.map((id) => latest.get(id)!.text)).toEqual(measures.map((_, i) => `新进展${i}`));
  });
});
