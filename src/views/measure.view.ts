/** A measure as a card: the view the card renders, for one viewer or for a whole group chat. */
import { excerpt } from '../../cards/escape.js';
import { calendarDate } from '../domain/dates.js';
import { measureCard, type MeasureCardOptions } from '../../cards/measure.card.js';
import type { MeasureView } from '../../cards/views.js';
import type { ServiceDeps } from '../deps.js';
import { campaignById } from '../services/campaign-context.js';
import { pendingExtension } from '../services/measure-changes.js';
import { measureDetail, type MeasureDetail } from '../services/measure-views.js';
import type { Notice } from '../services/notice.js';
import type { MeasureRow } from '../services/records.js';
import { audienceContext, type CardAudience } from './audience.js';
import { measureEvidenceView } from './evidence.view.js';
import { measureActionsFor, sharedMeasureActions } from './measure-actions.js';
import { text, type CommandOutcome, type Reply } from './reply.js';

export async function measureViewOf(deps: ServiceDeps, audience: CardAudience, measure: MeasureRow, detail?: MeasureDetail): Promise<MeasureView> {
  const d = detail ?? (await measureDetail(deps, measure));
  const campaign = await campaignById(deps, measure.campaignId);
  const pending = await pendingExtension(deps, measure.id);
  const evidence = await measureEvidenceView(deps, measure.id);
  const hasFiles = evidence.evidence.items.some((e) => e.kind !== 'link');
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
    latestReport: latest
      ? { excerpt: excerpt(latest.text, 120), author: latest.author ?? '', date: calendarDate(new Date(latest.at), deps.config.timezone) }
      : null,
    version: measure.version,
    pendingExtension: pending ? { newDate: pending.newDueDate, reason: pending.reason } : null,
    evidence: evidence.view,
    actions: 'viewer' in audience ? measureActionsFor(audience.viewer, measure, { hasFiles }) : sharedMeasureActions(measure, { hasFiles }),
  };
}

export async function measureReply(
  deps: ServiceDeps,
  audience: CardAudience,
  measure: MeasureRow,
  options: MeasureCardOptions = {},
  detail?: MeasureDetail,
): Promise<Reply> {
  const view = await measureViewOf(deps, audience, measure, detail);
  // A shared card never holds a form: everyone in the chat would see it open.
  const card = measureCard(view, 'viewer' in audience ? options : {});
  return { kind: 'card', card, cardRef: { kind: 'measure', measureId: measure.id, context: audienceContext(audience) } };
}

/** A change's outcome: a confirmation line, the measure's up-to-date card, and the notices it produced. */
export async function measureChangeOutcome(
  deps: ServiceDeps,
  audience: CardAudience,
  confirmation: string,
  measure: MeasureRow,
  notices: Notice[],
): Promise<CommandOutcome> {
  return { replies: [text(confirmation), await measureReply(deps, audience, measure)], notices, changed: [measure.id] };
}
