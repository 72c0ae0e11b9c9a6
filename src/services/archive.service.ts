/**
 * The evidence archive of a campaign (整改档案): what goes in it, read from the ledger. The zip
 * itself is written by the runtime (src/runtime/archive-zip.node.ts), which streams the stored
 * evidence files; here every entry is decided, and every record written.
 */
import { listEvidenceOfCampaign, findEvidenceWaiver, type EvidenceRow } from '../../db/queries/evidence.js';
import { listExtensionRequestsOf } from '../../db/queries/extension-requests.js';
import { listLedgerRows } from '../../db/queries/ledger-export.js';
import { personNameById } from '../../db/queries/people.js';
import { listRechecksOf } from '../../db/queries/rechecks.js';
import { calendarDate } from '../domain/dates.js';
import { EXTENSION_STATUS_LABELS } from '../domain/labels.js';
import { compareMeasureCodes } from '../domain/measure-code.js';
import type { ServiceDeps } from '../deps.js';
import { archiveEntries, evidenceIncluded, safeName, type ArchiveEntry, type ArchiveEvidence, type ArchiveMeasure } from '../ledger-io/archive.js';
import { buildLedgerWorkbook } from '../ledger-io/export-xlsx.js';
import { buildProgressReportDocx } from '../ledger-io/progress-report.js';
import { campaignToExport, loadLedgerView } from './ledger-export.service.js';
import { measureDetail, type MeasureDetail } from './measure-views.js';
import type { MeasureRow } from './records.js';

export interface PreparedArchive {
  campaign: string;
  asOf: string;
  /** 整改档案 file name for a chat (the CLI writes where it is told) */
  fileName: string;
  entries: ArchiveEntry[];
  measures: number;
  /** evidence files the archive holds */
  files: number;
  /** evidence kept by reference only (listed, not included) */
  referenceOnly: number;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** 2025-10-09 10:30 in the campaign's time zone. */
function localTime(iso: string, timeZone: string): string {
  let f = timeFormats.get(timeZone);
  if (!f) timeFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const at = new Date(iso);
  return `${calendarDate(at, timeZone)} ${f.format(at)}`;
}

const DECISIONS: Record<string, (note: string | null) => string> = {
  submit: (n) => `申请销号${n ? `，说明：${n}` : ''}`,
  verify: () => '审核通过，销号',
  return: (n) => `退回${n ? `，原因：${n}` : ''}`,
  recheck_rebound: (n) => n ?? '回头看发现反弹，恢复整改',
};
const RECHECK_OUTCOMES: Record<string, string> = { held: '成效巩固', rebounded: '出现反弹，恢复整改' };

/**
 * Submissions, verifications, returns and reopenings from the audit log; a closure recorded
 * without a verification in it (closed in the imported ledger) is stated from the measure itself.
 */
function decisionsOf(history: MeasureDetail['history'], m: MeasureRow, verifierName: string | null, at: (iso: string) => string): ArchiveMeasure['decisions'] {
  const out = history.filter((h) => DECISIONS[h.action]).map((h) => ({ at: at(h.at), actor: h.actor, what: DECISIONS[h.action]!(h.note) }));
  if (m.verifiedAt && !history.some((h) => h.action === 'verify'))
    out.push({ at: at(m.verifiedAt), actor: verifierName ?? m.verifiedBy ?? '', what: '销号（台账导入时已销号）' });
  return out;
}

export async function prepareArchive(deps: ServiceDeps, p: { campaignName?: string; chatId?: string } = {}): Promise<PreparedArchive> {
  const campaign = await campaignToExport(deps, p.campaignName, p.chatId);
  const tz = campaign.timezone ?? deps.config.timezone;
  const at = (iso: string) => localTime(iso, tz);
  const view = await loadLedgerView(deps, campaign.name);
  const evidence = new Map<number, EvidenceRow[]>();
  for (const e of await listEvidenceOfCampaign(deps.db, campaign.id)) evidence.set(e.measureId, [...(evidence.get(e.measureId) ?? []), e]);
  const names = new Map<number, string | null>();
  const personName = async (id: number | null) => {
    if (id === null) return null;
    if (!names.has(id)) names.set(id, await personNameById(deps.db, id));
    return names.get(id)!;
  };

  const deadlines = new Map(view.categories.flatMap((c) => c.problems.flatMap((pr) => pr.measures.map((v) => [v.code, v.deadlineText] as const))));
  const measures: ArchiveMeasure[] = [];
  const rows = (await listLedgerRows(deps.db, campaign.id)).sort((a, b) => compareMeasureCodes(a.measure.code, b.measure.code));
  for (const r of rows) {
    const m = r.measure;
    const detail = await measureDetail(deps, m);
    const waiver = await findEvidenceWaiver(deps.db, m.id);
    const extensions = await listExtensionRequestsOf(deps.db, m.id);
    const rechecks = await listRechecksOf(deps.db, m.id);
    measures.push({
      code: m.code,
      text: m.text,
      category: r.categoryTitle,
      problem: r.problemTitle,
      department: r.department ?? undefined,
      ownerName: detail.ownerName ?? undefined,
      leaderName: detail.leaderName ?? undefined,
      deadlineText: deadlines.get(m.code) ?? '',
      dueDate: m.dueDate ?? undefined,
      originalDueDate: m.originalDueDate ?? undefined,
      completionStandard: m.completionStandard ?? undefined,
      status: m.status,
      percent: m.percent,
      reports: [...detail.reports].reverse().map((rep) => ({ at: at(rep.at), author: rep.author ?? '', percent: rep.percent, text: rep.text })),
      decisions: decisionsOf(detail.history, m, r.verifierName, at),
      extensions: await Promise.all(
        extensions.map(async (x) => ({
          at: at(x.createdAt),
          from: x.oldDueDate ?? '未定',
          to: x.newDueDate,
          reason: x.reason,
          status: EXTENSION_STATUS_LABELS[x.status],
          decision: x.decidedAt ? [await personName(x.decidedBy), at(x.decidedAt), x.decisionNote].filter(Boolean).join('，') : undefined,
        })),
      ),
      rechecks: rechecks.map((c) => ({
        dueDate: c.dueDate,
        sentOn: c.notifiedOn,
        outcome: c.outcome ? RECHECK_OUTCOMES[c.outcome]! : '待确认',
        by: c.answeredBy ? (c.answeredByName ?? c.answeredBy) : undefined,
        at: c.answeredAt ? at(c.answeredAt) : undefined,
        reason: c.reason,
      })),
      waiver: waiver ? { by: waiver.waivedByName ?? waiver.waivedBy, at: at(waiver.waivedAt), reason: waiver.reason } : undefined,
      evidence: (evidence.get(m.id) ?? []).map(
        (e): ArchiveEvidence => ({
          name: e.name,
          kind: e.kind,
          size: e.size,
          sha256: e.sha256,
          url: e.url,
          storage: e.storage,
          storageKey: e.storageKey,
          messageId: e.messageId,
          fileKey: e.fileKey,
          addedBy: e.addedByName ?? e.addedByOpenId ?? '',
          addedAt: at(e.addedAt),
        }),
      ),
    });
  }

  const top = [
    { name: `${campaign.name}-整改台账-${view.asOf}.xlsx`, bytes: await buildLedgerWorkbook(view) },
    { name: `${campaign.name}-整改进展情况-${view.asOf}.docx`, bytes: await buildProgressReportDocx(view) },
  ];
  const all = measures.flatMap((m) => m.evidence);
  return {
    campaign: campaign.name,
    asOf: view.asOf,
    fileName: safeName(`${campaign.name}-整改档案-${view.asOf}.zip`),
    entries: archiveEntries(top, measures),
    measures: measures.length,
    files: all.filter(evidenceIncluded).length,
    referenceOnly: all.filter((e) => e.kind !== 'link' && !evidenceIncluded(e)).length,
  };
}
