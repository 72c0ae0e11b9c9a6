/**
 * The list queries are served by the indexes of 0003_list_indexes: SQLite's own plan for every
 * statement a list or /status runs (EXPLAIN QUERY PLAN) never scans the measures table, and the
 * overdue / due-soon pages come off measures_campaign_due_idx already in order, which only holds
 * while the ORDER BY of codeOrderOf and the migration's index expressions are the same.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildList, type ListCommand } from '../../commands/lists.js';
import { getCampaign, type CampaignRow } from '../../db/queries/measures-read.js';
import { loadActor } from '../../db/queries/people.js';
import { createFixedClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import type { ServiceDeps } from '../../src/deps.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { silentLogger } from '../../src/logger.js';
import { campaignStats } from '../../src/services/measure-views.js';
import { tempDir } from '../helpers/harness.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';

describe('list query plans', () => {
  const dir = tempDir();
  let database: ReturnType<typeof openNodeDatabase>;
  let deps: ServiceDeps;
  let campaign: CampaignRow;
  const statements: string[] = [];

  beforeAll(async () => {
    database = openNodeDatabase(join(dir.path, 'duban.sqlite'));
    const ledger = await seedLedger(database.db, nationalDayLedger());
    deps = { db: database.db, clock: createFixedClock('2025-10-09T02:00:00Z'), log: silentLogger, config: parseConfig({}) } as ServiceDeps;
    campaign = (await getCampaign(deps.db, { campaignId: ledger.campaignId }))!;
    // Record what the lists send to SQLite.
    const sqlite = (database.db as unknown as { $client: Database.Database }).$client;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => (statements.push(source), prepare(source))) as typeof sqlite.prepare;
  });
  afterAll(() => {
    database.close();
    dir.remove();
  });

  async function plansOf(run: () => Promise<unknown>): Promise<Array<{ sql: string; plan: string }>> {
    statements.length = 0;
    await run();
    const sqlite = (database.db as unknown as { $client: Database.Database }).$client;
    return statements
      .filter((s) => /"measures"/.test(s))
      .map((s) => {
        const params = (s.match(/\?/g) ?? []).map(() => 1);
        const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${s}`).all(...params) as Array<{ detail: string }>;
        return { sql: s, plan: rows.map((r) => r.detail).join('\n') };
      });
  }

  const lists: Array<[string, string, ListCommand, string | undefined]> = [
    ['/overdue for a leader', 'ou_leader', 'overdue', undefined],
    ['/due 365 for a leader', 'ou_leader', 'due', '365'],
    ['/due 7 for an owner', 'ou_wang', 'due', '7'],
    ['/mine', 'ou_wang', 'mine', undefined],
    ['/status 财务', 'ou_leader', 'status', '财务'],
    ['/status 2', 'ou_leader', 'status', '2'],
  ];

  it.each(lists)('%s reads measures through indexes only', async (_label, openId, command, filter) => {
    const actor = await loadActor(deps.db, openId);
    const plans = await plansOf(() => buildList(deps, actor, campaign, command, filter, 2));
    expect(plans.length).toBeGreaterThanOrEqual(2);
    for (const p of plans) {
      expect(p.plan, p.sql).not.toMatch(/^SCAN measures/m);
      // Nor every measure of the campaign: an index narrows it further.
      expect(p.plan, p.sql).not.toMatch(/^SEARCH measures USING (COVERING )?INDEX \w+ \(campaign_id=\?( AND missing_from_source=\?)?\)$/m);
    }
    // The whole ledger's overdue or due-soon measures are not sorted: the index has them in order.
    // (A person's own measures are few, and sorted.)
    if ((command === 'overdue' || command === 'due') && openId === 'ou_leader') {
      for (const p of plans) expect(p.plan, `${p.sql}\nsorts instead of reading the index in order`).not.toMatch(/TEMP B-TREE/);
      expect(plans.map((p) => p.plan).join('\n')).toMatch(/measures_campaign_due_idx/);
    }
  });

  it('/status counts from a covering index in its order, without sorting', async () => {
    const plans = await plansOf(() => campaignStats(deps, campaign.id));
    expect(plans).toHaveLength(1);
    expect(plans[0]!.plan).toMatch(/SEARCH measures USING COVERING INDEX measures_campaign_department_idx/);
    expect(plans[0]!.plan).not.toMatch(/TEMP B-TREE/);
  });
});
