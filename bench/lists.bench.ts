/**
 * npm run bench (second part): /status, /overdue, /due, /mine and a list page on a 20,000-measure
 * ledger, each sent through the real webhook (signed, encrypted, stored in the inbox, processed
 * as the service does) until its reply is in the outbox, next to /help on the same service as the
 * baseline. For each: median and worst time, and the longest the event loop was blocked
 * (perf_hooks.monitorEventLoopDelay), which is what every other request waits behind. The same
 * lists are also computed the way they were before (every measure read and given its deadline
 * state in JavaScript), in the same run, for the ratio. Nothing here is a pass/fail test.
 */
import { cpus, loadavg } from 'node:os';
import { paginateList } from '../cards/measure-list.card.js';
import { buildList } from '../commands/lists.js';
import { statusReply } from '../src/views/status.view.js';
import { getCampaign, listLedgerMeasures } from '../db/queries/measures-read.js';
import { loadActor, type Actor } from '../db/queries/people.js';
import type { ServiceDeps } from '../src/deps.js';
import { workCalendarFor } from '../src/services/calendar.js';
import { campaignStats } from '../src/services/measure-views.js';
import { computeLedgerStats, deadlineRulesOf, withDeadlines, type LedgerMeasure } from '../src/services/ledger-stats.js';
import { canSee, ownsMeasure } from '../src/services/measure-access.js';
import { cardActionEvent, messageEvent } from '../tests/helpers/payloads.js';
import { measure, median, runBench, size, verdict, withBigLedgerService } from './measure.js';

const MEASURES = size('BENCH_MEASURES', 20_000, 2_000);
const ROUNDS = size('BENCH_LIST_ROUNDS', 15, 3);
const OLD_ROUNDS = size('BENCH_LIST_OLD_ROUNDS', 3, 1);
/** the goal for /status and /overdue through the webhook, median */
const GOAL_MS = 100;
const TODAY = '2025-10-09';

/** The lists as they were computed before: the whole ledger read, every deadline state computed, then filtered. */
function oldWay(deps: ServiceDeps, campaignId: number) {
  const calendar = workCalendarFor(deps);
  const today = calendar.toDate(deps.clock.now());
  const ledger = async () => withDeadlines(await listLedgerMeasures(deps.db, { campaignId }), today, calendar, deadlineRulesOf(deps.config));
  const open = (m: LedgerMeasure) => m.status !== 'closed' && m.status !== 'submitted';
  const scope = (m: LedgerMeasure) => ({ ownerPersonId: m.ownerPersonId, leadDepartmentId: m.departmentId });
  const byDue = (a: LedgerMeasure, b: LedgerMeasure) => (a.dueDate ?? '').localeCompare(b.dueDate ?? '');
  return {
    status: async () => statusReply({ ...(await computeLedgerStats(deps, campaignId)), dueNext7DaysCount: 0 }, ''),
    overdue: async (actor: Actor) =>
      paginateList(
        (await ledger())
          .filter((m) => canSee(actor, scope(m)) && open(m) && m.deadline.timing === 'overdue')
          .sort((a, b) => b.deadline.daysOverdue - a.deadline.daysOverdue || byDue(a, b)),
        1,
      ),
    due: async (actor: Actor, days: number) => {
      const until = calendar.addDays(today, days);
      return paginateList(
        (await ledger())
          .filter(
            (m) => canSee(actor, scope(m)) && open(m) && m.deadline.timing !== 'ongoing' && m.dueDate !== null && m.dueDate >= today && m.dueDate <= until,
          )
          .sort(byDue),
        1,
      );
    },
    mine: async (actor: Actor) =>
      paginateList(
        (await ledger()).filter((m) => ownsMeasure(actor, scope(m))),
        1,
      ),
  };
}

runBench(() =>
  withBigLedgerService({ measures: MEASURES, today: TODAY, now: `${TODAY}T02:00:00.000Z` }, async (svc, ledger) => {
    const deps = svc.deps;
    const campaign = (await getCampaign(deps.db, { campaignId: ledger.campaignId }))!;
    const leader = await loadActor(deps.db, 'ou_leader');
    const owner = await loadActor(deps.db, 'ou_owner0');
    const inLedger = ledger.measures.filter((m) => m.campaignId === ledger.campaignId && !m.missingFromSource).length;
    console.log(`\nlists benchmark: ${inLedger} measures in the ledger (of ${MEASURES} generated), ${ROUNDS} rounds each (old way: ${OLD_ROUNDS})`);
    console.log(`  machine load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores: other processes inflate every figure alike`);

    let n = 0;
    /** A chat message through the webhook, until its processing is done and the reply is in the outbox. */
    const viaWebhook = (openId: string, text: string) => async () => {
      const res = await svc.post(messageEvent({ text, openId, messageId: `om_bench_${++n}` }));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      await svc.idle();
    };
    /** A 下一页 click: the card comes back in the callback's answer. */
    const pageClick = (openId: string, command: string, page: number) => async () => {
      const res = await svc.post(cardActionEvent({ openId, value: { action: 'list.page', command, page } }));
      const body = (await res.json()) as { card?: unknown };
      if (!body.card) throw new Error(`no card in the answer to page ${page} of ${command}`);
    };

    const old = oldWay(deps, ledger.campaignId);
    const cases: Array<{ label: string; webhook: () => Promise<unknown>; handler?: () => Promise<unknown>; oldHandler?: () => Promise<unknown> }> = [
      { label: '/help (baseline)', webhook: viaWebhook('ou_leader', '/help') },
      {
        label: '/status',
        webhook: viaWebhook('ou_leader', '/status'),
        handler: async () => statusReply(await campaignStats(deps, campaign.id), campaign.name),
        oldHandler: old.status,
      },
      {
        label: '/overdue',
        webhook: viaWebhook('ou_leader', '/overdue'),
        handler: () => buildList(deps, leader, campaign, 'overdue', undefined),
        oldHandler: () => old.overdue(leader),
      },
      {
        label: '/due 365',
        webhook: viaWebhook('ou_leader', '/due 365'),
        handler: () => buildList(deps, leader, campaign, 'due', '365'),
        oldHandler: () => old.due(leader, 365),
      },
      {
        label: '/mine (owner)',
        webhook: viaWebhook('ou_owner0', '/mine'),
        handler: () => buildList(deps, owner, campaign, 'mine', undefined),
        oldHandler: () => old.mine(owner),
      },
      { label: '/status 财务科', webhook: viaWebhook('ou_leader', '/status 财务科'), handler: () => buildList(deps, leader, campaign, 'status', '财务科') },
      {
        label: '/overdue page 300 (click)',
        webhook: pageClick('ou_leader', 'overdue', 300),
        handler: () => buildList(deps, leader, campaign, 'overdue', undefined, 300),
      },
    ];

    // Warm up every path once (JIT, statement cache), then deliver what it queued.
    for (const c of cases) await c.webhook();
    await svc.settle();

    const rows: string[][] = [];
    const goals: string[] = [];
    let baseline = 0;
    for (const c of cases) {
      const webhook = await measure(ROUNDS, c.webhook);
      await svc.settle();
      const handler = c.handler ? await measure(ROUNDS, c.handler) : undefined;
      const oldHandler = c.oldHandler ? await measure(OLD_ROUNDS, c.oldHandler) : undefined;
      const med = median(webhook.map((s) => s.ms));
      if (!baseline) baseline = med;
      if (c.label === '/status' || c.label === '/overdue') goals.push(`${c.label} ${med.toFixed(1)} ms, goal < ${GOAL_MS} ms: ${verdict(med < GOAL_MS)}`);
      const f = (x: number) => x.toFixed(1);
      rows.push([
        c.label,
        f(med),
        f(Math.max(...webhook.map((s) => s.ms))),
        (med / baseline).toFixed(2),
        f(median(webhook.map((s) => s.blockMs))),
        f(Math.max(...webhook.map((s) => s.blockMs))),
        handler ? f(median(handler.map((s) => s.ms))) : '',
        oldHandler ? f(median(oldHandler.map((s) => s.ms))) : '',
        oldHandler ? f(Math.max(...oldHandler.map((s) => s.blockMs))) : '',
        oldHandler && handler ? (median(oldHandler.map((s) => s.ms)) / median(handler.map((s) => s.ms))).toFixed(0) : '',
      ]);
    }
    const header = [
      'command',
      'webhook p50 ms',
      'max ms',
      'x /help',
      'block p50 ms',
      'longest block ms',
      'handler p50 ms',
      'old way p50 ms',
      'old block ms',
      'old / new',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(line(header));
    for (const r of rows) console.log(line(r));
    console.log('  webhook: from the POST to the reply stored in the outbox (a click: to the answer with the new card);');
    console.log('  block: the longest event-loop delay seen while it ran (what any other request waits behind), median and worst round;');
    console.log('  handler: the command alone, in process; old way: the same list computed from every measure, as before.');
    console.log(`  goals (webhook p50 on ${inLedger} measures): ${goals.join('; ')}`);
  }),
);
