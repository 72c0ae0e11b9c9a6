import { and, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { readPrecondition, runAtomically, yieldToEventLoop } from '../atomic.js';
import type { Db } from '../database.js';
import { categories, departments, measures, problems } from '../schema.js';

/** A measure with the names of what it hangs on, as an import compares it with a file. */
export interface StoredMeasure {
  id: number;
  code: string;
  text: string;
  categoryOrdinal: number;
  categoryTitle: string;
  problemOrdinal: number;
  problemTitle: string;
  department: string | null;
  coDepartments: string | null;
  leaderName: string | null;
  ownerName: string | null;
  ownerContact: string | null;
  ownerPersonId: number | null;
  deadlineKind: string;
  deadlineText: string | null;
  originalDueDate: string | null;
  dueDate: string | null;
  completionStandard: string | null;
  missingFromSource: boolean;
}

export async function listStoredMeasures(db: Db, campaignId: number): Promise<StoredMeasure[]> {
  const dept = alias(departments, 'lead_department');
  return db
    .select({
      id: measures.id,
      code: measures.code,
      text: measures.text,
      categoryOrdinal: categories.ordinal,
      categoryTitle: categories.title,
      problemOrdinal: problems.ordinal,
      problemTitle: problems.title,
      department: dept.name,
      coDepartments: measures.coDepartments,
      leaderName: measures.leaderName,
      ownerName: measures.ownerName,
      ownerContact: measures.ownerContact,
      ownerPersonId: measures.ownerPersonId,
      deadlineKind: measures.deadlineKind,
      deadlineText: measures.deadlineText,
      originalDueDate: measures.originalDueDate,
      dueDate: measures.dueDate,
      completionStandard: measures.completionStandard,
      missingFromSource: measures.missingFromSource,
    })
    .from(measures)
    .innerJoin(problems, eq(problems.id, measures.problemId))
    .innerJoin(categories, eq(categories.id, problems.categoryId))
    .leftJoin(dept, eq(dept.id, measures.leadDepartmentId))
    .where(eq(measures.campaignId, campaignId));
}

export async function listCampaignStructure(db: Db, campaignId: number) {
  const cats = await db.select().from(categories).where(eq(categories.campaignId, campaignId));
  const probs = await db
    .select({ categoryOrdinal: categories.ordinal, ordinal: problems.ordinal, title: problems.title })
    .from(problems)
    .innerJoin(categories, and(eq(categories.id, problems.categoryId)))
    .where(eq(problems.campaignId, campaignId));
  return { categories: cats, problems: probs };
}

/** A measure's columns as an import writes them. */
export interface ImportedMeasureValues {
  text: string;
  coDepartments: string | null;
  leaderName: string | null;
  ownerName: string | null;
  ownerContact: string | null;
  deadlineKind: string;
  deadlineText: string | null;
  dueDate: string | null;
  completionStandard: string | null;
}

/** The audit row of one imported change: old and new values (JSON), and a note for people. */
export interface ImportAudit {
  before: unknown;
  after: unknown;
  note: string | null;
}

/** A measure of the file, where it hangs (by ordinals), its department and owner by natural key. */
interface ImportedMeasure {
  code: string;
  categoryOrdinal: number;
  problemOrdinal: number;
  department: string | null;
  /** the owner's open_id when found; else the stored owner stays */
  ownerOpenId?: string;
  values: ImportedMeasureValues;
  audit: ImportAudit;
}

/**
 * Everything one import writes, decided beforehand from the file and the campaign as read
 * (src/services/import-plan.ts); writeLedgerImport turns it into statements.
 */
export interface LedgerWrite {
  campaign: { name: string; source: string; timezone: string; isNew: boolean };
  /** who imports, as the audit log names them */
  actor: string;
  at: string;
  /** categories (upserted when new or renamed) with the problems under them to upsert */
  categories: Array<{ ordinal: number; title: string; upsert: boolean; problems: Array<{ ordinal: number; title: string }> }>;
  /** departments named by added or updated measures */
  departments: string[];
  /** owners found for added or updated measures; each gets the owner role */
  owners: Array<{ openId: string; name: string | null; contact: string | null }>;
  /** added and updated measures, in file order */
  measures: Array<(ImportedMeasure & { kind: 'add' }) | (ImportedMeasure & { kind: 'update'; id: number; deadlineChanged: boolean })>;
  /** stored measures no longer in the file: flagged, never deleted */
  missing: Array<{ id: number; code: string; audit: ImportAudit }>;
}

/**
 * What an import's statements are computed from: the campaign and the version of each of its
 * measures. Another writer that changes them in between (a second import, a report in chat)
 * makes the write stop before anything is stored.
 */
const campaignState = (name: string) =>
  sql`select coalesce((select c.id || ':' || (select count(*) || ':' || coalesce(sum(version), 0) from measures where campaign_id = c.id) from campaigns c where c.name = ${name}), 'none') as state`;

/** The state of a campaign (by name) to pass to writeLedgerImport, read before the file is compared with it. */
export function readImportState(db: Db, campaignName: string): Promise<unknown> {
  return readPrecondition(db, campaignState(campaignName));
}

/**
 * Writes an import as one transaction (one batch on D1), only if the campaign is still in the
 * state `expected` (else AtomicConflictError; a locked database gives DatabaseBusyError). Rows
 * created in the same run are found by their natural keys (campaign name, ordinals, code).
 */
export async function writeLedgerImport(db: Db, write: LedgerWrite, expected: unknown): Promise<void> {
  const { name } = write.campaign;
  const now = write.at;
  const statements: SQL[] = [];
  const campaignRef = sql`(select id from campaigns where name = ${name})`;

  if (write.campaign.isNew) {
    statements.push(
      sql`insert into campaigns (name, source, timezone, active, created_at) values (${name}, ${write.campaign.source}, ${write.campaign.timezone}, 1, ${now}) on conflict(name) do nothing`,
    );
  }
  // Categories and problems are keyed by their ordinal; a changed title is updated in place.
  const categoryRef = (ordinal: number) => sql`(select id from categories where campaign_id = ${campaignRef} and ordinal = ${ordinal})`;
  const problemRef = (c: number, p: number) => sql`(select id from problems where category_id = ${categoryRef(c)} and ordinal = ${p})`;
  for (const c of write.categories) {
    if (c.upsert) {
      statements.push(
        sql`insert into categories (campaign_id, ordinal, title) values (${campaignRef}, ${c.ordinal}, ${c.title}) on conflict(campaign_id, ordinal) do update set title = excluded.title`,
      );
    }
    for (const p of c.problems) {
      statements.push(
        sql`insert into problems (campaign_id, category_id, ordinal, title) values (${campaignRef}, ${categoryRef(c.ordinal)}, ${p.ordinal}, ${p.title}) on conflict(category_id, ordinal) do update set title = excluded.title`,
      );
    }
  }
  for (const department of write.departments) {
    statements.push(sql`insert into departments (name, created_at) values (${department}, ${now}) on conflict(name) do nothing`);
  }
  for (const owner of write.owners) {
    statements.push(
      sql`insert into people (open_id, name, contact, created_at) values (${owner.openId}, ${owner.name}, ${owner.contact}, ${now}) on conflict(open_id) do nothing`,
      sql`insert into person_roles (person_id, role, granted_by, created_at) values ((select id from people where open_id = ${owner.openId}), 'owner', 'import', ${now}) on conflict do nothing`,
    );
  }

  const measureRef = (code: string) => sql`(select id from measures where campaign_id = ${campaignRef} and code = ${code})`;
  const audit = (code: string, action: string, a: ImportAudit) =>
    sql`insert into audit_log (measure_id, campaign_id, actor, action, before, after, note, at) values (${measureRef(code)}, ${campaignRef}, ${write.actor}, ${action}, ${a.before === null ? null : JSON.stringify(a.before)}, ${a.after === null ? null : JSON.stringify(a.after)}, ${a.note}, ${now})`;

  for (const [i, m] of write.measures.entries()) {
    // Building thousands of statements takes a while: let other requests in now and then.
    if (i > 0 && i % 500 === 0) await yieldToEventLoop();
    const values = m.values;
    const departmentRef = m.department ? sql`(select id from departments where name = ${m.department})` : sql`null`;
    const ownerRef = m.ownerOpenId ? sql`(select id from people where open_id = ${m.ownerOpenId})` : undefined;
    if (m.kind === 'add') {
      statements.push(sql`insert into measures (campaign_id, problem_id, code, text, lead_department_id, co_departments, leader_name, owner_person_id, owner_name, owner_contact,
          deadline_kind, deadline_text, due_date, original_due_date, completion_standard, created_at, updated_at)
        values (${campaignRef}, ${problemRef(m.categoryOrdinal, m.problemOrdinal)}, ${m.code}, ${values.text}, ${departmentRef}, ${values.coDepartments}, ${values.leaderName},
          ${ownerRef ?? sql`null`}, ${values.ownerName}, ${values.ownerContact}, ${values.deadlineKind}, ${values.deadlineText}, ${values.dueDate}, ${values.dueDate},
          ${values.completionStandard}, ${now}, ${now})`);
      statements.push(audit(m.code, 'import.add', m.audit));
      continue;
    }
    // A changed deadline resets the date; an unchanged one keeps an approved extension.
    const deadlineChanged = m.deadlineChanged;
    statements.push(sql`update measures set problem_id = ${problemRef(m.categoryOrdinal, m.problemOrdinal)}, text = ${values.text}, lead_department_id = ${departmentRef},
        co_departments = ${values.coDepartments}, leader_name = ${values.leaderName}, owner_name = ${values.ownerName}, owner_contact = ${values.ownerContact},
        owner_person_id = ${ownerRef ?? sql`owner_person_id`},
        deadline_kind = ${values.deadlineKind}, deadline_text = ${values.deadlineText},
        due_date = ${deadlineChanged ? values.dueDate : sql`due_date`}, original_due_date = ${deadlineChanged ? values.dueDate : sql`original_due_date`},
        completion_standard = ${values.completionStandard}, missing_from_source = 0, version = version + 1, updated_at = ${now}
      where id = ${m.id}`);
    statements.push(audit(m.code, 'import.update', m.audit));
  }
  for (const m of write.missing) {
    statements.push(sql`update measures set missing_from_source = 1, version = version + 1, updated_at = ${now} where id = ${m.id}`);
    statements.push(audit(m.code, 'import.missing', m.audit));
  }
  await runAtomically(db, statements, { query: campaignState(name), expected });
}
