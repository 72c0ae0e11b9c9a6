/**
 * Random ledgers for property tests that compare a computation against a reference over the same
 * database: every deadline kind (立行立改, 长期坚持, 时限待定 included) and status, due dates
 * around the 2025 National Day and 2026 Spring Festival holidays and their make-up working days,
 * week and year boundaries, times on the edges of the week before, in two time zones. A big
 * scenario crowds one list past what a card shows.
 */
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { measures, progressReports } from '../../db/schema.js';
import { DEADLINE_KINDS, MEASURE_STATUSES, type DeadlineKind, type MeasureStatus } from '../../src/domain/enums.js';
import { seedLedger, type SeedMeasure } from './seed-ledger.js';

export const WEEK_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Days to compute on: holidays, make-up working days, week and year boundaries. */
const DAYS = [
  '2025-09-28',
  '2025-09-29',
  '2025-10-01',
  '2025-10-08',
  '2025-10-09',
  '2025-10-11',
  '2025-10-13',
  '2025-12-29',
  '2026-01-01',
  '2026-01-04',
  '2026-02-14',
  '2026-02-23',
  '2026-02-24',
  '2026-03-01',
];
/** Times of day, local: midnight either side, the cron's 09:00, late evening (another UTC date). */
const TIMES = ['00:00:00.000', '00:00:00.001', '07:59:59.999', '09:00:00.000', '23:59:59.999'];

/** Instants around `at`: the week's edges exactly and a millisecond either side, and some spread. */
const instantNear = (at: number) =>
  fc.oneof(
    fc.constantFrom(0, -1, 1, -WEEK_MS, -WEEK_MS + 1, -WEEK_MS - 1, -2 * WEEK_MS, -3 * DAY_MS).map((d) => at + d),
    fc.integer({ min: -70, max: 2 }).map((days) => at + days * DAY_MS),
    fc.integer({ min: -60 * 24, max: 24 }).map((hours) => at + hours * 3_600_000),
  );

const codeArb = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom('', '', '', '.1', '.2'), fc.boolean())
  .map(([c, p, m, deeper, zero]) => `${c}.${p}.${zero && m < 10 ? '0' : ''}${m}${deeper}`);

interface MeasureSpec {
  kind: DeadlineKind;
  status: MeasureStatus;
  dueOffset: number | null;
  department: string | null;
  owner: string | null;
  createdAt: number;
  updatedAt: number;
  verifiedAt: number | null;
  reports: number[];
}

const measureArb = (at: number): fc.Arbitrary<MeasureSpec> =>
  fc.record({
    kind: fc.constantFrom(...DEADLINE_KINDS),
    status: fc.constantFrom(...MEASURE_STATUSES),
    dueOffset: fc.option(fc.integer({ min: -25, max: 25 }), { freq: 5 }),
    department: fc.constantFrom('办公室', '财务科', '人事科', null),
    owner: fc.constantFrom('wang', 'zhao', 'qian', null),
    createdAt: instantNear(at),
    updatedAt: instantNear(at),
    verifiedAt: fc.option(instantNear(at), { freq: 3 }),
    reports: fc.array(instantNear(at), { maxLength: 2 }),
  });

export type RandomLedger = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

export const scenarioArb = fc.tuple(fc.constantFrom(...DAYS), fc.constantFrom(...TIMES), fc.boolean(), fc.boolean()).chain(([day, time, auckland, big]) => {
  const at = Date.parse(`${day}T${time}${auckland ? '+13:00' : '+08:00'}`);
  const size = big ? fc.integer({ min: 40, max: 55 }) : fc.integer({ min: 0, max: 14 });
  // A big ledger crowds one list past what the card and the text show (their 另有 N 项 lines).
  const crowd: fc.Arbitrary<Partial<MeasureSpec>> = big
    ? fc.constantFrom<Partial<MeasureSpec>>(
        { status: 'submitted' },
        { status: 'closed', verifiedAt: at - DAY_MS },
        { status: 'in_progress', kind: 'dated', dueOffset: -3 },
        { status: 'returned', kind: 'dated', dueOffset: 2 },
      )
    : fc.constant({});
  const crowded = (n: number) =>
    crowd.chain((c) =>
      fc.array(
        fc.tuple(measureArb(at), fc.integer({ min: 0, max: 9 })).map(([m, d]) => (d === 0 ? m : { ...m, ...c })),
        { minLength: n, maxLength: n },
      ),
    );
  return size.chain((n) =>
    fc.record({
      at: fc.constant(at),
      day: fc.constant(day),
      auckland: fc.constant(auckland),
      listLimit: fc.integer({ min: 0, max: 45 }),
      codes: fc.uniqueArray(codeArb, { minLength: n, maxLength: n }),
      specs: crowded(n),
    }),
  );
});

const PEOPLE = [
  { key: 'wang', name: '王芳', roles: ['owner' as const] },
  { key: 'zhao', name: '赵强', roles: ['owner' as const] },
  { key: 'qian', name: '钱伟', openId: null, roles: ['owner' as const] },
];
let campaigns = 0;

/** Seeds a scenario as a new campaign of `db`; returns its id. */
export async function seedRandomLedger(db: Db, s: RandomLedger): Promise<number> {
  const iso = (t: number) => new Date(t).toISOString();
  const seeded: SeedMeasure[] = s.codes.map((code, i) => {
    const m = s.specs[i]!;
    // Stored as the application stores them: 时限待定 has no date; the others may have one.
    const due = m.kind === 'unset' || m.dueOffset === null ? null : addDays(s.day, m.dueOffset);
    return { code, kind: m.kind, due, status: m.status, department: m.department, owner: m.owner, createdAt: iso(m.createdAt) };
  });
  const ledger = await seedLedger(db, { campaign: { name: `整改${++campaigns}` }, people: PEOPLE, measures: seeded });
  // A closed measure imported as closed has no verification time: its arrival counts.
  for (const [i, code] of s.codes.entries()) {
    const m = s.specs[i]!;
    const verifiedAt = m.status === 'closed' && m.verifiedAt !== null ? iso(m.verifiedAt) : null;
    const measureId = ledger.measures[code]!;
    await db
      .update(measures)
      .set({ updatedAt: iso(m.updatedAt), verifiedAt })
      .where(eq(measures.id, measureId));
    for (const [k, r] of m.reports.entries()) {
      await db.insert(progressReports).values({ measureId, text: '进展', source: 'command', idempotencyKey: `p:${measureId}:${k}`, createdAt: iso(r) });
    }
  }
  return ledger.campaignId;
}
