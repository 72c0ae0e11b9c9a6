/**
 * The evidence rules the database itself decides: one row per measure and file hash (or URL)
 * whatever arrives at once, and a submission that needs evidence checks it inside its own update.
 */
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countEvidenceOfMeasures, insertEvidence, listEvidenceOfCampaign, upsertEvidenceWaiver, type NewEvidence } from '../../db/queries/evidence.js';
import { applySubmission } from '../../db/queries/measure-changes.js';
import { auditLog, measures } from '../../db/schema.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { tempDir } from '../helpers/harness.js';
import { nationalDayLedger, seedLedger, type SeededLedger } from '../helpers/seed-ledger.js';

const AT = '2025-10-09T02:00:00.000Z';

describe('evidence queries', () => {
  const dir = tempDir();
  let database: ReturnType<typeof openNodeDatabase>;
  let ledger: SeededLedger;
  beforeEach(async () => {
    database = openNodeDatabase(join(dir.path, `duban-${Math.random().toString(36).slice(2)}.sqlite`));
    ledger = await seedLedger(database.db, nationalDayLedger());
  });
  afterEach(() => database.close());

  const file = (code: string, sha256: string, name = 'a.pdf'): NewEvidence => ({
    campaignId: ledger.campaignId,
    measureId: ledger.measures[code]!,
    kind: 'file',
    name,
    size: 3,
    sha256,
    storage: 'local',
    storageKey: sha256,
    source: 'session',
    addedAt: AT,
  });
  const version = async (code: string) => (await database.db.select().from(measures).where(eq(measures.id, ledger.measures[code]!)))[0]!.version;

  it('records a file once per measure and hash, also when both inserts run at once, and moves the version once', async () => {
    const v = await version('1.1.1');
    const results = await Promise.all([
      insertEvidence(database.db, file('1.1.1', 'a'.repeat(64))),
      insertEvidence(database.db, file('1.1.1', 'a'.repeat(64), 'b.pdf')),
    ]);
    expect(results.map((r) => r.inserted).sort()).toEqual([false, true]);
    expect(results[0]!.row.id).toBe(results[1]!.row.id);
    expect(await version('1.1.1')).toBe(v + 1);
    // The same file on another measure is its own evidence.
    expect((await insertEvidence(database.db, file('1.1.2', 'a'.repeat(64)))).inserted).toBe(true);
    const link = { ...file('1.1.1', ''), kind: 'link' as const, sha256: null, storage: null, storageKey: null, url: 'https://e.example/1' };
    expect((await insertEvidence(database.db, link)).inserted).toBe(true);
    expect((await insertEvidence(database.db, link)).inserted).toBe(false);
    expect((await listEvidenceOfCampaign(database.db, ledger.campaignId)).map((r) => [r.measureId, r.kind])).toEqual([
      [ledger.measures['1.1.1'], 'file'],
      [ledger.measures['1.1.1'], 'link'],
      [ledger.measures['1.1.2'], 'file'],
    ]);
    expect(await countEvidenceOfMeasures(database.db, [ledger.measures['1.1.1']!, ledger.measures['1.2.1']!])).toEqual(
      new Map([[ledger.measures['1.1.1']!, 2]]),
    );
  });

  it('a submission that needs evidence applies only once the measure has some, or a waiver', async () => {
    const submit = (code: string) =>
      applySubmission(database.db, { measureId: ledger.measures[code]!, actor: 'ou_wang', at: AT, scope: 'any', requireEvidence: true });
    expect(await submit('1.1.1')).toBeUndefined();
    await insertEvidence(database.db, file('1.1.1', 'b'.repeat(64)));
    expect((await submit('1.1.1'))?.status).toBe('submitted');

    expect(await submit('1.2.1')).toBeUndefined();
    await upsertEvidenceWaiver(database.db, {
      measureId: ledger.measures['1.2.1']!,
      waivedBy: 'ou_secretary',
      waivedByName: '整改办李明',
      reason: '无需',
      at: AT,
    });
    expect((await submit('1.2.1'))?.status).toBe('submitted');
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.measureId, ledger.measures['1.2.1']!));
    expect(audit.map((a) => a.action)).toEqual(['evidence_waived', 'submit']);
  });
});
