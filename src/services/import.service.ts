import { sql, type SQL } from 'drizzle-orm';
import { AtomicConflictError, DatabaseBusyError, readPrecondition, runAtomically, yieldToEventLoop } from '../../db/atomic.js';
import { findCampaignByName, findChatCampaign, listCampaignStructure, listStoredMeasures, type StoredMeasure } from '../../db/queries/ledger-import.js';
import { DEADLINE_KINDS, type DeadlineKind, type LedgerLayout } from '../domain/enums.js';
import type { ServiceDeps } from '../deps.js';
import { allMeasures, formatIssue, type ParsedLedger, type ParsedMeasure } from '../ledger-io/ledger.js';
import { DEADLINE_KIND_LABELS, FIELD_LABELS, LAYOUT_LABELS } from '../domain/labels.js';
import { compareMeasureCodes } from '../domain/measure-code.js';
import { parseLedgerFile } from '../ledger-io/parse.js';
import { isNoDeadlineStated } from '../ledger-io/deadline.js';
import { todayIn } from '../domain/dates.js';
import { UserError } from './errors.js';

/**
 * One import path for the command line and the chat: parse, check everything, compare with
 * the campaign in the database, and only then write — all of it or nothing.
 */

/** Finds Feishu open_ids for emails and mobiles (the contact API); returns contact -> open_id. */
export type PeopleLookup = (query: { emails: string[]; mobiles: string[] }) => Promise<Map<string, string>>;

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

/** A campaign name from a file name: the name without its extension. */
export function campaignNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '').trim() || '整改任务';
}

/** Chat default: the chat's campaign, else the newest active one, else the file's name. */
export async function defaultCampaignName(deps: ServiceDeps, chatId: string | undefined, fileName: string): Promise<string> {
  return (await findChatCampaign(deps.db, chatId))?.name ?? campaignNameFromFile(fileName);
}

function contactKind(contact: string): { email?: string; mobile?: string } {
  const c = contact.replace(/\s+/g, '');
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c)) return { email: c.toLowerCase() };
  const digits = c.replace(/[-()（）]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  return /^1\d{10}$/.test(digits) ? { mobile: digits } : {};
}

async function resolvePeople(ledger: ParsedLedger, lookup: PeopleLookup | undefined, deps: ServiceDeps): Promise<Record<string, string>> {
  if (!lookup) return {};
  const emails = new Set<string>();
  const mobiles = new Set<string>();
  for (const m of allMeasures(ledger)) {
    const k = contactKind(m.ownerContact ?? '');
    if (k.email) emails.add(k.email);
    if (k.mobile) mobiles.add(k.mobile);
  }
  if (emails.size + mobiles.size === 0) return {};
  try {
    return Object.fromEntries(await lookup({ emails: [...emails], mobiles: [...mobiles] }));
  } catch (e) {
    // Without the contact API the import still works; people are assigned in chat later.
    deps.log.warn('contact lookup failed; owners stay unresolved', { error: e instanceof Error ? e.message : String(e) });
    return {};
  }
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

async function summarize(deps: ServiceDeps, plan: ImportPlan, applied: boolean): Promise<{ summary: ImportSummary; stored: StoredMeasure[]; campaignId?: number }> {
  const { ledger } = plan;
  const campaign = await findCampaignByName(deps.db, plan.campaignName);
  const stored = campaign ? await listStoredMeasures(deps.db, campaign.id) : [];
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
  const summary: ImportSummary = {
    campaign: plan.campaignName,
    campaignIsNew: !campaign,
    fileName: ledger.fileName,
    format: ledger.format,
    layout: layoutOf(ledger),
    categories: ledger.categories.length,
    problems: ledger.categories.reduce((n, c) => n + c.problems.length, 0),
    measures: located.length,
    deadlines,
    declared: ledger.declared,
    warnings: ledger.warnings.map(formatIssue),
    errors: ledger.errors.map(formatIssue),
    changes,
    unresolvedPeople: [...unresolved],
    applied,
  };
  return { summary, stored, campaignId: campaign?.id };
}

export interface PreviewInput {
  fileName: string;
  bytes: Uint8Array;
  campaignName?: string;
  lookup?: PeopleLookup;
}

/** Parses and checks a file and compares it with the campaign. Writes nothing. */
export async function previewImport(deps: ServiceDeps, input: PreviewInput): Promise<{ plan: ImportPlan; summary: ImportSummary }> {
  const campaignName = input.campaignName?.trim() || campaignNameFromFile(input.fileName);
  const campaign = await findCampaignByName(deps.db, campaignName);
  const referenceDate = campaign?.feedbackDate ?? todayIn(deps.clock, deps.config.timezone);
  const parse = deps.parseLedger ?? parseLedgerFile;
  const ledger = await parse(input.fileName, input.bytes, { referenceDate, maxRows: deps.config.imports.maxRows });
  const resolved = ledger.errors.length ? {} : await resolvePeople(ledger, input.lookup, deps);
  const plan: ImportPlan = { campaignName, ledger, resolved };
  return { plan, summary: (await summarize(deps, plan, false)).summary };
}

/**
 * What an import's statements are computed from: the campaign and the version of each of its
 * measures. Another writer that changes them in between (a second import, a report in chat)
 * makes the write stop before anything is stored.
 */
const campaignState = (name: string) =>
  sql`select coalesce((select c.id || ':' || (select count(*) || ':' || coalesce(sum(version), 0) from measures where campaign_id = c.id) from campaigns c where c.name = ${name}), 'none') as state`;

const IMPORT_ATTEMPTS = 3;
export const IMPORT_CONFLICT_REPLY = '整改任务正被同时修改（可能有另一个导入正在进行），本次未导入任何内容，请稍后重试。';
export const IMPORT_BUSY_REPLY = '数据库正忙（另一个导入或服务正在写入），本次未导入任何内容，请稍后重试。';

/**
 * Writes a previewed plan: creates the campaign if new, updates measures matched by code, adds
 * new ones, flags vanished ones, and records every change in the audit log. Status, percent and
 * progress reports are never touched. Any error in the file means nothing is written.
 *
 * The comparison with the database and the write are checked to belong together: if the
 * campaign changed in between (two imports at once, in two processes), the write is computed
 * again, so concurrent imports end one after the other; if it keeps changing, or the database
 * stays locked, the import is refused in Chinese with nothing written.
 */
export async function applyImport(deps: ServiceDeps, plan: ImportPlan, actor: string): Promise<ImportSummary> {
  for (let attempt = 1; ; attempt++) {
    const expected = await readPrecondition(deps.db, campaignState(plan.campaignName));
    const write = await planWrite(deps, plan, actor);
    if (!write.statements) return write.summary;
    try {
      await runAtomically(deps.db, write.statements, { query: campaignState(plan.campaignName), expected });
    } catch (e) {
      if (e instanceof AtomicConflictError && attempt < IMPORT_ATTEMPTS) continue;
      if (e instanceof AtomicConflictError) throw new UserError(IMPORT_CONFLICT_REPLY);
      if (e instanceof DatabaseBusyError) throw new UserError(IMPORT_BUSY_REPLY);
      throw e;
    }
    const { summary, storedByCode } = write;
    const changedMeasureIds = [...summary.changes.updated.map((u) => u.code), ...summary.changes.missing].map((code) => storedByCode.get(code)!.id);
    return { ...summary, applied: true, changedMeasureIds };
  }
}

/** The statements that write a plan, from the campaign as it is now; none when the file has errors. */
async function planWrite(
  deps: ServiceDeps,
  plan: ImportPlan,
  actor: string,
): Promise<{ summary: ImportSummary; statements?: SQL[]; storedByCode: Map<string, StoredMeasure> }> {
  const { summary, stored, campaignId } = await summarize(deps, plan, false);
  const storedByCode = new Map(stored.map((s) => [s.code, s]));
  if (summary.errors.length > 0) return { summary, storedByCode };
  const now = deps.clock.now().toISOString();
  const name = plan.campaignName;
  const statements: SQL[] = [];
  const campaignRef = sql`(select id from campaigns where name = ${name})`;

  if (!campaignId) {
    statements.push(
      sql`insert into campaigns (name, source, timezone, active, created_at) values (${name}, ${plan.ledger.fileName}, ${deps.config.timezone}, 1, ${now}) on conflict(name) do nothing`,
    );
  }
  // Categories and problems are keyed by their ordinal; a changed title is updated in place.
  const structure = campaignId ? await listCampaignStructure(deps.db, campaignId) : { categories: [], problems: [] };
  const catTitles = new Map(structure.categories.map((c) => [c.ordinal, c.title]));
  const probTitles = new Map(structure.problems.map((p) => [`${p.categoryOrdinal}.${p.ordinal}`, p.title]));
  const categoryRef = (ordinal: number) => sql`(select id from categories where campaign_id = ${campaignRef} and ordinal = ${ordinal})`;
  const problemRef = (c: number, p: number) => sql`(select id from problems where category_id = ${categoryRef(c)} and ordinal = ${p})`;
  for (const c of plan.ledger.categories) {
    if (catTitles.get(c.ordinal) !== c.title) {
      statements.push(
        sql`insert into categories (campaign_id, ordinal, title) values (${campaignRef}, ${c.ordinal}, ${c.title}) on conflict(campaign_id, ordinal) do update set title = excluded.title`,
      );
    }
    for (const p of c.problems) {
      if (probTitles.get(`${c.ordinal}.${p.ordinal}`) !== p.title) {
        statements.push(
          sql`insert into problems (campaign_id, category_id, ordinal, title) values (${campaignRef}, ${categoryRef(c.ordinal)}, ${p.ordinal}, ${p.title}) on conflict(category_id, ordinal) do update set title = excluded.title`,
        );
      }
    }
  }

  const located = locate(plan.ledger);
  const added = new Set(summary.changes.added);
  const updated = new Map(summary.changes.updated.map((u) => [u.code, u.fields]));
  const touched = located.filter((l) => added.has(l.measure.code) || updated.has(l.measure.code));
  for (const department of new Set(touched.map((l) => l.measure.department).filter((d): d is string => !!d))) {
    statements.push(sql`insert into departments (name, created_at) values (${department}, ${now}) on conflict(name) do nothing`);
  }
  for (const openId of new Set(touched.map((l) => openIdOf(l.measure, plan.resolved)).filter((o): o is string => !!o))) {
    const owner = touched.find((l) => openIdOf(l.measure, plan.resolved) === openId)!.measure;
    statements.push(
      sql`insert into people (open_id, name, contact, created_at) values (${openId}, ${owner.ownerName ?? null}, ${owner.ownerContact ?? null}, ${now}) on conflict(open_id) do nothing`,
      sql`insert into person_roles (person_id, role, granted_by, created_at) values ((select id from people where open_id = ${openId}), 'owner', 'import', ${now}) on conflict do nothing`,
    );
  }

  const measureRef = (code: string) => sql`(select id from measures where campaign_id = ${campaignRef} and code = ${code})`;
  const audit = (code: string, action: string, before: unknown, after: unknown, note: string | null) =>
    sql`insert into audit_log (measure_id, campaign_id, actor, action, before, after, note, at) values (${measureRef(code)}, ${campaignRef}, ${actor}, ${action}, ${before === null ? null : JSON.stringify(before)}, ${after === null ? null : JSON.stringify(after)}, ${note}, ${now})`;

  for (const [i, l] of touched.entries()) {
    // Building thousands of statements takes a while: let other requests in now and then.
    if (i > 0 && i % 500 === 0) await yieldToEventLoop();
    const m = l.measure;
    const departmentRef = m.department ? sql`(select id from departments where name = ${m.department})` : sql`null`;
    const openId = openIdOf(m, plan.resolved);
    const ownerRef = openId ? sql`(select id from people where open_id = ${openId})` : undefined;
    const values = {
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
    if (added.has(m.code)) {
      statements.push(sql`insert into measures (campaign_id, problem_id, code, text, lead_department_id, co_departments, leader_name, owner_person_id, owner_name, owner_contact,
          deadline_kind, deadline_text, due_date, original_due_date, completion_standard, created_at, updated_at)
        values (${campaignRef}, ${problemRef(l.categoryOrdinal, l.problemOrdinal)}, ${m.code}, ${values.text}, ${departmentRef}, ${values.coDepartments}, ${values.leaderName},
          ${ownerRef ?? sql`null`}, ${values.ownerName}, ${values.ownerContact}, ${values.deadlineKind}, ${values.deadlineText}, ${values.dueDate}, ${values.dueDate},
          ${values.completionStandard}, ${now}, ${now})`);
      statements.push(audit(m.code, 'import.add', null, { ...values, department: m.department ?? null, category: l.categoryTitle, problem: l.problemTitle }, plan.ledger.fileName));
      continue;
    }
    const s = storedByCode.get(m.code)!;
    const fields = updated.get(m.code)!;
    if (keepsStoredDeadline(m, s)) Object.assign(values, { deadlineKind: s.deadlineKind, deadlineText: s.deadlineText, dueDate: s.dueDate });
    // A changed deadline resets the date; an unchanged one keeps an approved extension.
    const deadlineChanged = fields.includes('deadline');
    statements.push(sql`update measures set problem_id = ${problemRef(l.categoryOrdinal, l.problemOrdinal)}, text = ${values.text}, lead_department_id = ${departmentRef},
        co_departments = ${values.coDepartments}, leader_name = ${values.leaderName}, owner_name = ${values.ownerName}, owner_contact = ${values.ownerContact},
        owner_person_id = ${ownerRef ?? sql`owner_person_id`},
        deadline_kind = ${values.deadlineKind}, deadline_text = ${values.deadlineText},
        due_date = ${deadlineChanged ? values.dueDate : sql`due_date`}, original_due_date = ${deadlineChanged ? values.dueDate : sql`original_due_date`},
        completion_standard = ${values.completionStandard}, missing_from_source = 0, version = version + 1, updated_at = ${now}
      where id = ${s.id}`);
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
    statements.push(
      audit(m.code, 'import.update', before, { ...values, department: m.department ?? null, category: l.categoryTitle, problem: l.problemTitle }, `${plan.ledger.fileName}：${fields.map((f) => FIELD_LABELS[f] ?? f).join('、')}`),
    );
  }
  for (const code of summary.changes.missing) {
    const s = storedByCode.get(code)!;
    statements.push(sql`update measures set missing_from_source = 1, version = version + 1, updated_at = ${now} where id = ${s.id}`);
    statements.push(audit(code, 'import.missing', { missingFromSource: false }, { missingFromSource: true }, `${plan.ledger.fileName} 中没有这条措施`));
  }
  return { summary, statements, storedByCode };
}

const MAX_LISTED = 10;

function listed(items: string[], max = MAX_LISTED): string[] {
  const shown = items.slice(0, max).map((i) => `  · ${i}`);
  if (items.length > max) shown.push(`  ……另有${items.length - max}条`);
  return shown;
}

/** Text readers name the layout they recognised; anything else read from rows (a sheet, a Word table) is a table. */
function layoutOf(ledger: ParsedLedger): LedgerLayout | undefined {
  return ledger.layout ?? (ledger.categories.length > 0 ? 'table' : undefined);
}

/** The summary as the command line prints it and the chat replies it. */
export function formatImportSummary(s: ImportSummary, mode: 'preview' | 'dry-run' | 'applied'): string {
  const lines: string[] = [];
  lines.push(`整改任务：${s.campaign}${s.campaignIsNew ? '（新建）' : ''}`);
  lines.push(`文件：${s.fileName}`);
  if (s.layout) lines.push(`识别版式：${LAYOUT_LABELS[s.layout]}`);
  // A file refused as a whole (too large, unreadable) has no counts worth showing.
  const refusedWhole = s.measures === 0 && s.errors.length > 0;
  if (!refusedWhole) {
    lines.push(`识别结果：${s.categories}类问题，${s.problems}个问题，${s.measures}条整改措施`);
    const kinds = DEADLINE_KINDS.filter((k) => s.deadlines[k] > 0);
    lines.push(`整改时限：${kinds.map((k) => `${DEADLINE_KIND_LABELS[k]}${s.deadlines[k]}条`).join('，')}`);
  }
  if (s.declared) {
    const d = s.declared;
    const parts = [
      d.categories !== undefined ? `${d.categories}类问题` : undefined,
      d.problems !== undefined ? `${d.problems}个问题` : undefined,
      d.measures !== undefined ? `${d.measures}条整改措施` : undefined,
    ].filter(Boolean);
    lines.push(`文件中写明：${parts.join('，')}（识别出：${s.categories}类问题，${s.problems}个问题，${s.measures}条整改措施）`);
  }
  if (s.errors.length) {
    lines.push(`错误${s.errors.length}处，本次未导入任何内容，请修改文件后重新发送：`);
    lines.push(...listed(s.errors));
  } else {
    const c = s.changes;
    lines.push(`变更：新增${c.added.length}条，更新${c.updated.length}条，未变${c.unchanged}条，文件中已没有${c.missing.length}条`);
    if (c.updated.length) lines.push(...listed(c.updated.map((u) => `${u.code} 更新了${u.fields.map((f) => FIELD_LABELS[f] ?? f).join('、')}`)));
    if (c.missing.length) lines.push(`以下措施在文件中已没有，将标记为“来源中缺失”（不会删除）：${c.missing.join('、')}`);
  }
  if (s.unresolvedPeople.length) lines.push(`未匹配到飞书账号的责任人${s.unresolvedPeople.length}人（可稍后在聊天中指派）：${s.unresolvedPeople.join('、')}`);
  if (s.warnings.length) {
    lines.push(`提醒${s.warnings.length}条：`);
    lines.push(...listed(s.warnings));
  }
  if (!s.errors.length) {
    if (mode === 'applied') lines.push('已导入。');
    else if (mode === 'dry-run') lines.push('试运行（--dry-run）：没有写入任何内容。');
  }
  return lines.join('\n');
}
