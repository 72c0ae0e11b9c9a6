import { eq } from 'drizzle-orm';
import { historyCard } from '../cards/history.card.js';
import { measureListCard } from '../cards/measure-list.card.js';
import { measureCard, type MeasureCardOptions } from '../cards/measure.card.js';
import { statusCard } from '../cards/status.card.js';
import type { ExtensionRequestView, HistoryEntry, ImportPreviewView, MeasureAction, MeasureListRow, MeasureView, StatusView } from '../cards/views.js';
import { extensionRequestCard } from '../cards/extension-request.card.js';
import { importPreviewCard } from '../cards/import-preview.card.js';
import type { ImportSummary } from '../src/services/import.service.js';
import { excerpt } from '../cards/escape.js';
import { getCampaign } from '../db/queries/measures-read.js';
import type { MeasureRow } from '../db/queries/measures-write.js';
import type { Actor } from '../db/queries/people.js';
import { extensionRequests, measures, people } from '../db/schema.js';
import type { MeasureStatus } from '../src/domain/enums.js';
import { ACTION_WORDS, LAYOUT_LABELS, SYSTEM_ACTORS } from '../src/domain/labels.js';
import type { ServiceDeps } from '../src/deps.js';
import type { LedgerCounts, LedgerMeasure } from '../src/services/ledger-stats.js';
import { canDecideExtension, canReport, canRequestExtension, canSee, canSubmit, canVerify } from '../src/services/measure-access.js';
import { pendingExtension } from '../src/services/measure-changes.js';
import { measureDetail, type MeasureDetail } from '../src/services/measure-views.js';
import type { Reply } from './types.js';

/** Turns what the services return into card views and replies. */

export function measureActionsFor(actor: Actor, m: MeasureRow): MeasureAction[] {
  const actions: MeasureAction[] = [];
  const open = m.status !== 'closed' && m.status !== 'submitted';
  if (m.status !== 'closed' && canReport(actor, m)) actions.push('report');
  if (open && canSubmit(actor, m)) actions.push('submit');
  if (open && m.deadlineKind === 'dated' && canRequestExtension(actor, m)) actions.push('extend');
  if (canSee(actor, m)) actions.push('history');
  if (m.status === 'submitted' && canVerify(actor)) actions.push('verify', 'return');
  return actions;
}

/**
 * Everything a measure's state lets someone entitled do: the buttons of a card in a group chat.
 * A 2.0 card is one view shared by the whole chat, so it cannot show one person's buttons;
 * whoever presses is checked on the server, as for any card.
 */
export function sharedMeasureActions(m: MeasureRow): MeasureAction[] {
  const actions: MeasureAction[] = [];
  const open = m.status !== 'closed' && m.status !== 'submitted';
  if (m.status !== 'closed') actions.push('report');
  if (open) actions.push('submit');
  if (open && m.deadlineKind === 'dated') actions.push('extend');
  actions.push('history');
  if (m.status === 'submitted') actions.push('verify', 'return');
  return actions;
}

/**
 * Who a card is drawn for: one person in a private chat (their own buttons), or everyone in a
 * group chat (`shared`), where forms open in the presser's private chat instead.
 */
export type CardAudience = { viewer: Actor } | { shared: true };
export const SHARED: CardAudience = { shared: true };

export const audienceIn = (chatType: 'p2p' | 'group', actor: Actor): CardAudience => (chatType === 'group' ? SHARED : { viewer: actor });

/** What a sent card remembers of its audience (card_messages.context). */
export const audienceContext = (audience: CardAudience): Record<string, unknown> =>
  'viewer' in audience ? { viewer: audience.viewer.openId } : { shared: true };

export const isSharedCard = (context: unknown): boolean => (context as { shared?: unknown } | null)?.shared === true;

const localDate = (iso: string) => iso.slice(0, 10);

export async function measureViewOf(deps: ServiceDeps, audience: CardAudience, measure: MeasureRow, detail?: MeasureDetail): Promise<MeasureView> {
  const d = detail ?? (await measureDetail(deps, measure));
  const campaign = await getCampaign(deps.db, { campaignId: measure.campaignId });
  const pending = await pendingExtension(deps, measure.id);
  const latest = d.reports[0];
  return {
    id: measure.id,
    code: measure.code,
    campaignName: campaign?.name ?? '',
    categoryTitle: d.categoryTitle,
    problemTitle: d.problemTitle,
    text: measure.text,
    leadDepartment: d.departmentName,
    coDepartments: (measure.coDepartments ?? '').split(/[、,，;；\s]+/).filter(Boolean),
    leaderName: d.leaderName,
    ownerName: d.ownerName,
    deadlineText: measure.deadlineText ?? measure.originalDueDate ?? measure.dueDate ?? '',
    dueDate: measure.dueDate,
    extendedFrom: measure.originalDueDate && measure.dueDate && measure.originalDueDate !== measure.dueDate ? measure.originalDueDate : null,
    deadlineState: d.deadline.state,
    countdownLabel: d.deadline.countdown,
    status: measure.status,
    percent: measure.percent,
    completionStandard: measure.completionStandard,
    latestReport: latest ? { excerpt: excerpt(latest.text, 120), author: latest.author ?? '', date: localDate(latest.at) } : null,
    version: measure.version,
    pendingExtension: pending ? { newDate: pending.newDueDate, reason: pending.reason } : null,
    actions: 'viewer' in audience ? measureActionsFor(audience.viewer, measure) : sharedMeasureActions(measure),
  };
}

export async function measureReply(deps: ServiceDeps, audience: CardAudience, measure: MeasureRow, options: MeasureCardOptions = {}, detail?: MeasureDetail): Promise<Reply> {
  const view = await measureViewOf(deps, audience, measure, detail);
  // A shared card never holds a form: everyone in the chat would see it open.
  const card = measureCard(view, 'viewer' in audience ? options : {});
  return { kind: 'card', card, cardRef: { kind: 'measure', measureId: measure.id, context: audienceContext(audience) } };
}

export function listRowOf(m: LedgerMeasure): MeasureListRow {
  return {
    id: m.id,
    code: m.code,
    text: m.text,
    department: m.departmentName,
    ownerName: m.ownerName,
    countdownLabel: m.deadline.label,
    deadlineState: m.deadline.state,
    status: m.status,
  };
}

/** One page of a list as a card; `measures` are the rows of that page only. */
export function listReply(p: {
  title: string;
  subtitle?: string;
  measures: LedgerMeasure[];
  page: number;
  pageCount: number;
  total: number;
  command: string;
  filter?: string;
  emptyText: string;
  viewer: string;
  rowOf?: (m: LedgerMeasure) => MeasureListRow;
}): Reply {
  const { page, pageCount, total } = p;
  return {
    kind: 'card',
    card: measureListCard({
      title: p.title,
      subtitle: p.subtitle,
      rows: p.measures.map(p.rowOf ?? listRowOf),
      page,
      pageCount,
      total,
      query: { command: p.command, filter: p.filter },
      emptyText: p.emptyText,
    }),
    cardRef: { kind: 'list', context: { command: p.command, filter: p.filter, page, viewer: p.viewer } },
  };
}

const pct = (r: number) => Math.round(r * 100);

function statusViewOf(stats: LedgerCounts, campaignName: string, dueSoonDays: number): StatusView {
  return {
    campaignName,
    total: stats.total,
    byStatus: stats.byStatus,
    completionRate: pct(stats.completionRate),
    overdue: stats.overdueCount,
    unset: stats.unsetCount,
    dueSoon: stats.dueNext7DaysCount,
    dueSoonDays,
    departments: stats.departments.map((d) => ({
      department: d.department,
      total: d.total,
      closed: d.closed,
      submitted: d.submitted,
      overdue: d.overdue,
      completionRate: pct(d.rate),
    })),
    asOf: `截至 ${stats.today}`,
  };
}

export function statusReply(stats: LedgerCounts, campaignName: string): Reply {
  return { kind: 'card', card: statusCard(statusViewOf(stats, campaignName, 7)), cardRef: { kind: 'status' } };
}


/** Who acted, for people: a name (resolved before), or what a system actor stands for. */
const actorLabel = (actor: string) => SYSTEM_ACTORS[actor] ?? actor;

function historyEntriesOf(detail: MeasureDetail): HistoryEntry[] {
  const entries: HistoryEntry[] = detail.reports.map((r) => ({ kind: 'report', date: localDate(r.at), author: r.author ?? '', text: r.text, percent: r.percent }));
  for (const h of detail.history) {
    const before = (h.before ?? {}) as { status?: MeasureStatus; dueDate?: string };
    const after = (h.after ?? {}) as { status?: MeasureStatus; dueDate?: string };
    if (after.status && after.status !== before.status) {
      entries.push({ kind: 'status', date: localDate(h.at), actor: actorLabel(h.actor), from: before.status ?? null, to: after.status, note: h.note });
    } else if (h.action !== 'report') {
      const dates = before.dueDate !== undefined || after.dueDate !== undefined ? `：${before.dueDate ?? '未定'} → ${after.dueDate ?? '未定'}` : '';
      entries.push({ kind: 'change', date: localDate(h.at), actor: actorLabel(h.actor), summary: `${ACTION_WORDS[h.action] ?? h.action}${dates}${h.note ? `（${h.note}）` : ''}` });
    }
  }
  return entries.sort((a, b) => b.date.localeCompare(a.date));
}

export function historyReply(detail: MeasureDetail): Reply {
  const entries = historyEntriesOf(detail);
  return {
    kind: 'card',
    card: historyCard({ measureId: detail.measure.id, code: detail.measure.code, text: detail.measure.text, entries, omitted: 0 }),
    cardRef: { kind: 'history', measureId: detail.measure.id },
  };
}

export async function extensionReply(deps: ServiceDeps, actor: Actor, requestId: number): Promise<Reply | undefined> {
  const [request] = await deps.db.select().from(extensionRequests).where(eq(extensionRequests.id, requestId));
  if (!request) return undefined;
  const measure = (await deps.db.select().from(measures).where(eq(measures.id, request.measureId)))[0]!;
  const detail = await measureDetail(deps, measure);
  const name = async (id: number | null) => (id ? ((await deps.db.select({ name: people.name }).from(people).where(eq(people.id, id)))[0]?.name ?? null) : null);
  const view: ExtensionRequestView = {
    requestId: request.id,
    measureId: measure.id,
    measureCode: measure.code,
    measureText: measure.text,
    department: detail.departmentName,
    ownerName: detail.ownerName,
    requestedBy: await name(request.requestedBy),
    oldDate: request.oldDueDate,
    newDate: request.newDueDate,
    reason: request.reason,
    version: measure.version,
    status: request.status,
    decidedBy: await name(request.decidedBy),
    decisionNote: request.decisionNote,
    canDecide: canDecideExtension(actor),
  };
  return { kind: 'card', card: extensionRequestCard(view), cardRef: { kind: 'extension', measureId: measure.id, context: { viewer: actor.openId, requestId } } };
}

/** The import preview card's view: counts, the first warnings and errors, and whether it can be confirmed. */
export function importPreviewViewOf(summary: ImportSummary, importId: number, status: ImportPreviewView['status']): ImportPreviewView {
  const issues = (list: string[]) => list.slice(0, 10).map((message) => ({ row: null, message }));
  const first = !summary.campaignIsNew;
  return {
    importId,
    fileName: summary.fileName,
    campaignName: summary.campaign,
    layout: summary.layout ? LAYOUT_LABELS[summary.layout] : undefined,
    status,
    counts: {
      categories: summary.categories,
      problems: summary.problems,
      measures: summary.measures,
      departments: 0,
      ...(first
        ? { created: summary.changes.added.length, updated: summary.changes.updated.length, unchanged: summary.changes.unchanged, missing: summary.changes.missing.length }
        : {}),
    },
    warnings: issues(summary.warnings),
    errors: issues(summary.errors),
    warningCount: summary.warnings.length,
    errorCount: summary.errors.length,
    canConfirm: summary.errors.length === 0,
  };
}

export function importPreviewReply(summary: ImportSummary, importId: number, status: ImportPreviewView['status'], viewer: string): Reply {
  return {
    kind: 'card',
    card: importPreviewCard(importPreviewViewOf(summary, importId, status)),
    cardRef: { kind: 'import', context: { importId, viewer } },
  };
}
