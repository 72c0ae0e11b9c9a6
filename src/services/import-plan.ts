import type { ImportAudit, ImportedMeasureValues, LedgerWrite, StoredMeasure } from '../../db/queries/ledger-import.js';
import { DEADLINE_KINDS, type DeadlineKind, type LedgerLayout } from '../domain/enums.js';
import { DEADLINE_KIND_LABELS, FIELD_LABELS } from '../domain/labels.js';
import { compareMeasureCodes } from '../domain/measure-code.js';
import { formatIssue, type ParsedLedger, type ParsedMeasure } from '../ledger-io/ledger.js';
import { isNoDeadlineStated } from '../ledger-io/deadline.js';

/**
 * What an import would change, decided without I/O: the parsed file against the campaign as
 * stored gives the summary (added, updated, missing, unresolved owners) and the write
 * (db/queries/ledger-import.ts runs it as one batch).
 */

export interface ImportChanges {
  added: string[];
  updated: Array<{ code: string; fields: string[] }>;
  unchanged: number;
  /** in the campaign but no longer in the file: flagged, never deleted */
  missing: string[];
}

export interface ImportSummary {
  campaign: string;
  campaignIsNew: boolean;
  fileName: string;
  format: ParsedLedger['format'];
  /** the layout recognised (absent when the file could not be read at all) */
  layout?: LedgerLayout;
  categories: number;
  problems: number;
  measures: number;
  /** distinct lead departments named by the measures */
  departments: number;
  deadlines: Record<DeadlineKind, number>;
  declared?: ParsedLedger['declared'];
  warnings: string[];
  errors: string[];
  changes: ImportChanges;
  /** owners named in the file without a Feishu account found for them */
  unresolvedPeople: string[];
  /** true once written */
  applied: boolean;
  /** after a write: existing measures that changed (updated or flagged missing), whose sent cards need updating */
  changedMeasureIds?: number[];
}

/** What a preview hands to the confirmation step (the chat keeps it in pending_imports). */
export interface ImportPlan {
  campaignName: string;
  ledger: ParsedLedger;
  /** contact (email or mobile) -> open_id */
  resolved: Record<string, string>;
}

/** An owner's contact as the contact API looks it up: a lower-case email or an 11-digit mobile. */
export function contactKind(contact: string): { email?: string; mobile?: string } {
  const c = contact.replace(/\s+/g, '');
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c)) return { email: c.toLowerCase() };
  const digits = c.replace(/[-()（）]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  return /^1\d{10}$/.test(digits) ? { mobile: digits } : {};
}

function openIdOf(m: ParsedMeasure, resolved: Record<string, string>): string | undefined {
  const k = contactKind(m.ownerContact ?? '');
  return (k.email && resolved[k.email]) || (k.mobile && resolved[k.mobile]) || undefined;
}

/** A file that states no deadline does not undo one set since (by /deadline or an earlier file). */
function keepsStoredDeadline(m: ParsedMeasure, s: StoredMeasure): boolean {
  return isNoDeadlineStated(m.deadline) && s.deadlineKind !== 'unset';
}

function changedFields(m: ParsedMeasure, category: string, problem: string, s: StoredMeasure): string[] {
  const same = (a: string | undefined | null, b: string | undefined | null) => (a ?? '') === (b ?? '');
  const fields: string[] = [];
  if (!same(m.text, s.text)) fields.push('text');
  if (!same(category, s.categoryTitle)) fields.push('category');
  if (!same(problem, s.problemTitle)) fields.push('problem');
  if (!same(m.department, s.department)) fields.push('department');
  if (!same(m.coDepartments, s.coDepartments)) fields.push('coDepartments');
  if (!same(m.leaderName, s.leaderName)) fields.push('leaderName');
  if (!same(m.ownerName, s.ownerName)) fields.push('ownerName');
  if (!same(m.ownerContact, s.ownerContact)) fields.push('ownerContact');
  // A deadline written nowhere reads back as its kind's name (长期坚持) once exported.
  const deadlineText = (text: string | null | undefined, kind: string) => text || DEADLINE_KIND_LABELS[kind as DeadlineKind];
  if (
    !keepsStoredDeadline(m, s) &&
    (m.deadline.kind !== s.deadlineKind ||
      deadlineText(m.deadline.text, m.deadline.kind) !== deadlineText(s.deadlineText, s.deadlineKind) ||
      !same(m.deadline.dueDate, s.originalDueDate))
  ) {
    fields.push('deadline');
  }
  if (!same(m.completionStandard, s.completionStandard)) fields.push('completionStandard');
  if (s.missingFromSource) fields.push('restored');
  return fields;
}

interface Located {
  measure: ParsedMeasure;
  categoryOrdinal: number;
  categoryTitle: string;
  problemOrdinal: number;
  problemTitle: string;
}

function locate(ledger: ParsedLedger): Located[] {
  return ledger.categories.flatMap((c) =>
    c.problems.flatMap((p) =>
      p.measures.map((measure) => ({ measure, categoryOrdinal: c.ordinal, categoryTitle: c.title, problemOrdinal: p.ordinal, problemTitle: p.title })),
    ),
  );
}

/** Text readers name the layout they recognised; anything else read from rows (a sheet, a Word table) is a table. */
function layoutOf(ledger: ParsedLedger): LedgerLayout | undefined {
  return ledger.layout ?? (ledger.categories.length > 0 ? 'table' : undefined);
}

/** The file compared with the campaign's stored measures (none for a new campaign). */
export function summarizeImport(plan: ImportPlan, p: { campaignIsNew: boolean; stored: StoredMeasure[] }): ImportSummary {
  const { ledger } = plan;
  const { stored } = p;
  const byCode = new Map(stored.map((s) => [s.code, s]));
  const changes: ImportChanges = { added: [], updated: [], unchanged: 0, missing: [] };
  const located = locate(ledger);
  for (const l of located) {
    const s = byCode.get(l.measure.code);
    if (!s) changes.added.push(l.measure.code);
    else {
      const fields = changedFields(l.measure, l.categoryTitle, l.problemTitle, s);
      if (fields.length) changes.updated.push({ code: l.measure.code, fields });
      else changes.unchanged += 1;
    }
  }
  const inFile = new Set(located.map((l) => l.measure.code));
  changes.missing = stored
    .filter((s) => !inFile.has(s.code) && !s.missingFromSource)
    .map((s) => s.code)
    .sort(compareMeasureCodes);
  const deadlines = Object.fromEntries(DEADLINE_KINDS.map((k) => [k, 0])) as Record<DeadlineKind, number>;
  for (const l of located) deadlines[l.measure.deadline.kind] += 1;
  const unresolved = new Set<string>();
  for (const l of located) {
    if (l.measure.ownerName && !openIdOf(l.measure, plan.resolved)) unresolved.add(l.measure.ownerName);
  }
  return {
    campaign: plan.campaignName,
    campaignIsNew: p.campaignIsNew,
    fileName: ledger.fileName,
    format: ledger.format,
    layout: layoutOf(ledger),
    categories: ledger.categories.length,
    problems: ledger.categories.reduce((n, c) => n + c.problems.length, 0),
    measures: located.length,
    departments: new Set(located.map((l) => l.measure.department).filter((d) => !!d)).size,
    deadlines,
    declared: ledger.declared,
    warnings: ledger.warnings.map(formatIssue),
    errors: ledger.errors.map(formatIssue),
    changes,
    unresolvedPeople: [...unresolved],
    applied: false,
  };
}

/**
 * What writing a previewed plan stores, from the campaign as read with `summary`: the campaign
 * if new, categories and problems whose title is new or changed, the departments and owners the
 * added and updated measures name, those measures, and the missing ones flagged, each with its
 * audit row. Status, percent and progress reports are never touched.
 */
export function planLedgerWrite(
  plan: ImportPlan,
  summary: ImportSummary,
  current: {
    stored: StoredMeasure[];
    structure: { categories: Array<{ ordinal: number; title: string }>; problems: Array<{ categoryOrdinal: number; ordinal: number; title: string }> };
  },
  by: { actor: string; at: string; timezone: string },
): LedgerWrite {
  const { ledger } = plan;
  const storedByCode = new Map(current.stored.map((s) => [s.code, s]));
  const catTitles = new Map(current.structure.categories.map((c) => [c.ordinal, c.title]));
  const probTitles = new Map(current.structure.problems.map((p) => [`${p.categoryOrdinal}.${p.ordinal}`, p.title]));
  const categories = ledger.categories.map((c) => ({
    ordinal: c.ordinal,
    title: c.title,
    upsert: catTitles.get(c.ordinal) !== c.title,
    problems: c.problems.filter((p) => probTitles.get(`${c.ordinal}.${p.ordinal}`) !== p.title).map((p) => ({ ordinal: p.ordinal, title: p.title })),
  }));

  const added = new Set(summary.changes.added);
  const updated = new Map(summary.changes.updated.map((u) => [u.code, u.fields]));
  const touched = locate(ledger).filter((l) => added.has(l.measure.code) || updated.has(l.measure.code));
  const departments = [...new Set(touched.map((l) => l.measure.department).filter((d): d is string => !!d))];
  const owners = [...new Set(touched.map((l) => openIdOf(l.measure, plan.resolved)).filter((o): o is string => !!o))].map((openId) => {
    const owner = touched.find((l) => openIdOf(l.measure, plan.resolved) === openId)!.measure;
    return { openId, name: owner.ownerName ?? null, contact: owner.ownerContact ?? null };
  });

  const measures = touched.map((l): LedgerWrite['measures'][number] => {
    const m = l.measure;
    const values: ImportedMeasureValues = {
      text: m.text,
      coDepartments: m.coDepartments ?? null,
      leaderName: m.leaderName ?? null,
      ownerName: m.ownerName ?? null,
      ownerContact: m.ownerContact ?? null,
      deadlineKind: m.deadline.kind,
      deadlineText: m.deadline.text || null,
      dueDate: m.deadline.dueDate ?? null,
      completionStandard: m.completionStandard ?? null,
    };
    const where = {
      code: m.code,
      categoryOrdinal: l.categoryOrdinal,
      problemOrdinal: l.problemOrdinal,
      department: m.department ?? null,
      ownerOpenId: openIdOf(m, plan.resolved),
    };
    const after = () => ({ ...values, department: m.department ?? null, category: l.categoryTitle, problem: l.problemTitle });
    if (added.has(m.code)) return { kind: 'add', ...where, values, audit: { before: null, after: after(), note: ledger.fileName } };
    const s = storedByCode.get(m.code)!;
    const fields = updated.get(m.code)!;
    if (keepsStoredDeadline(m, s)) Object.assign(values, { deadlineKind: s.deadlineKind, deadlineText: s.deadlineText, dueDate: s.dueDate });
    const before = {
      text: s.text,
      category: s.categoryTitle,
      problem: s.problemTitle,
      department: s.department,
      coDepartments: s.coDepartments,
      leaderName: s.leaderName,
      ownerName: s.ownerName,
      ownerContact: s.ownerContact,
      deadlineKind: s.deadlineKind,
      deadlineText: s.deadlineText,
      dueDate: s.dueDate,
      completionStandard: s.completionStandard,
    };
    const audit: ImportAudit = { before, after: after(), note: `${ledger.fileName}：${fields.map((f) => FIELD_LABELS[f] ?? f).join('、')}` };
    return { kind: 'update', id: s.id, ...where, values, deadlineChanged: fields.includes('deadline'), audit };
  });
  const missing = summary.changes.missing.map((code) => ({
    id: storedByCode.get(code)!.id,
    code,
    audit: { before: { missingFromSource: false }, after: { missingFromSource: true }, note: `${ledger.fileName} 中没有这条措施` },
  }));
  return {
    campaign: { name: plan.campaignName, source: ledger.fileName, timezone: by.timezone, isNew: summary.campaignIsNew },
    actor: by.actor,
    at: by.at,
    categories,
    departments,
    owners,
    measures,
    missing,
  };
}
