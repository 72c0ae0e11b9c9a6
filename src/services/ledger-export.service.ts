import { findCampaignByName } from '../../db/queries/campaigns.js';
import { resolveCampaign } from './campaign-context.js';
import { listEvidenceOfCampaign } from '../../db/queries/evidence.js';
import { latestReports, listLedgerRows } from '../../db/queries/ledger-export.js';
import { UserError } from './errors.js';
import type { ServiceDeps } from '../deps.js';
import { calendarDate, daysBetween, todayIn } from '../domain/dates.js';
import { DEADLINE_KIND_LABELS } from '../domain/labels.js';
import { compareMeasureCodes } from '../domain/measure-code.js';
import type { LedgerView, MeasureView } from '../ledger-io/ledger-view.js';

/** The stored ledger of a campaign as the exporters need it. */

/** The campaign named, or else the chat's (resolveCampaign); a clear Chinese error when there is none. */
export async function campaignToExport(deps: ServiceDeps, name: string | undefined, chatId?: string) {
  if (!name) return resolveCampaign(deps, chatId);
  const campaign = await findCampaignByName(deps.db, name);
  if (!campaign) throw new UserError(`没有名为“${name}”的整改任务`);
  return campaign;
}

export async function loadLedgerView(deps: ServiceDeps, campaignName?: string, chatId?: string): Promise<LedgerView> {
  const campaign = await campaignToExport(deps, campaignName, chatId);
  const tz = campaign.timezone ?? deps.config.timezone;
  const asOf = todayIn(deps.clock, tz);
  const rows = await listLedgerRows(deps.db, campaign.id);
  const reports = await latestReports(
    deps.db,
    rows.map((r) => r.measure.id),
  );
  const evidence = new Map<number, string[]>();
  for (const e of await listEvidenceOfCampaign(deps.db, campaign.id)) evidence.set(e.measureId, [...(evidence.get(e.measureId) ?? []), e.name]);
  const view: LedgerView = { campaign: campaign.name, asOf, categories: [] };
  for (const r of rows) {
    let c = view.categories.find((x) => x.ordinal === r.categoryOrdinal);
    if (!c) view.categories.push((c = { ordinal: r.categoryOrdinal, title: r.categoryTitle, problems: [] }));
    let p = c.problems.find((x) => x.ordinal === r.problemOrdinal);
    if (!p) c.problems.push((p = { ordinal: r.problemOrdinal, title: r.problemTitle, measures: [] }));
    const m = r.measure;
    const report = reports.get(m.id);
    const overdue = m.status !== 'closed' && m.dueDate && m.dueDate < asOf ? daysBetween(m.dueDate, asOf) : 0;
    const measure: MeasureView = {
      code: m.code,
      text: m.text,
      leaderName: m.leaderName ?? undefined,
      department: r.department ?? undefined,
      coDepartments: m.coDepartments ?? undefined,
      ownerName: r.ownerPersonName ?? m.ownerName ?? undefined,
      ownerContact: m.ownerContact ?? undefined,
      deadlineKind: m.deadlineKind,
      deadlineText: m.deadlineText || (m.deadlineKind === 'dated' ? (m.originalDueDate ?? m.dueDate ?? '') : DEADLINE_KIND_LABELS[m.deadlineKind]),
      dueDate: m.dueDate ?? undefined,
      completionStandard: m.completionStandard ?? undefined,
      status: m.status,
      percent: m.percent,
      latestProgress: report ? { text: report.text, date: calendarDate(new Date(report.createdAt), tz) } : undefined,
      daysOverdue: overdue,
      verifiedBy: m.verifiedBy ? (r.verifierName ?? m.verifiedBy) : undefined,
      verifiedAt: m.verifiedAt ?? undefined,
      missingFromSource: m.missingFromSource,
      evidence: evidence.get(m.id),
    };
    p.measures.push(measure);
  }
  view.categories.sort((a, b) => a.ordinal - b.ordinal);
  for (const c of view.categories) {
    c.problems.sort((a, b) => a.ordinal - b.ordinal);
    for (const p of c.problems) p.measures.sort((a, b) => compareMeasureCodes(a.code, b.code));
  }
  return view;
}
