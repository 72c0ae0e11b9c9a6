import { and, asc, count, eq, gte, inArray, isNotNull, like, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../database.js';
import type { DeadlineKind, MeasureStatus } from '../../src/domain/enums.js';
import { compareMeasureCodeKeys, compareMeasureCodes, measureCodeKey } from '../../src/domain/measure-code.js';
import { campaigns, categories, codeOrderOf, departments, measures, people, problems, progressReports } from '../schema.js';

/** Read models of the ledger for lists, statistics and scheduled jobs. */

const owner = alias(people, 'owner');
const leader = alias(people, 'leader');

export interface LedgerMeasureRow {
  id: number;
  campaignId: number;
  code: string;
  text: string;
  status: (typeof measures.$inferSelect)['status'];
  percent: number;
  deadlineKind: (typeof measures.$inferSelect)['deadlineKind'];
  deadlineText: string | null;
  dueDate: string | null;
  originalDueDate: string | null;
  departmentId: number | null;
  departmentName: string | null;
  ownerPersonId: number | null;
  ownerName: string | null;
  ownerOpenId: string | null;
  leaderPersonId: number | null;
  leaderName: string | null;
  leaderOpenId: string | null;
  verifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** ISO instant of the latest progress report */
  lastReportAt: string | null;
}

const ledgerColumns = {
  id: measures.id,
  campaignId: measures.campaignId,
  code: measures.code,
  text: measures.text,
  status: measures.status,
  percent: measures.percent,
  deadlineKind: measures.deadlineKind,
  deadlineText: measures.deadlineText,
  dueDate: measures.dueDate,
  originalDueDate: measures.originalDueDate,
  departmentId: measures.leadDepartmentId,
  departmentName: departments.name,
  ownerPersonId: measures.ownerPersonId,
  ownerPersonName: owner.name,
  ownerSourceName: measures.ownerName,
  ownerOpenId: owner.openId,
  leaderPersonId: measures.leaderPersonId,
  leaderPersonName: leader.name,
  leaderSourceName: measures.leaderName,
  leaderOpenId: leader.openId,
  verifiedAt: measures.verifiedAt,
  createdAt: measures.createdAt,
  updatedAt: measures.updatedAt,
  lastReportAt: sql<string | null>`(select max(${progressReports.createdAt}) from ${progressReports} where ${progressReports.measureId} = ${measures.id})`,
};

function ledgerQuery(db: Db, where: SQL | undefined) {
  return db
    .select(ledgerColumns)
    .from(measures)
    .leftJoin(departments, eq(departments.id, measures.leadDepartmentId))
    .leftJoin(owner, eq(owner.id, measures.ownerPersonId))
    .leftJoin(leader, eq(leader.id, measures.leaderPersonId))
    .where(where);
}

type LedgerQueryRow = Awaited<ReturnType<ReturnType<typeof ledgerQuery>['all']>>[number];

const toLedgerRow = ({ ownerPersonName, ownerSourceName, leaderPersonName, leaderSourceName, ...r }: LedgerQueryRow): LedgerMeasureRow => ({
  ...r,
  ownerName: ownerPersonName ?? ownerSourceName,
  leaderName: leaderPersonName ?? leaderSourceName,
});

/**
 * Every measure of a campaign still in the source ledger, in code order, with the names views need;
 * with a selection, only the measures it selects (its campaign wins over `campaignId`).
 */
export async function listLedgerMeasures(db: Db, params: { campaignId: number; selection?: LedgerSelection }): Promise<LedgerMeasureRow[]> {
  const where = params.selection ? selectionWhere(params.selection) : inLedger(params.campaignId);
  const rows = await ledgerQuery(db, where).orderBy(asc(measures.id));
  return rows.map(toLedgerRow).sort((a, b) => compareMeasureCodes(a.code, b.code));
}

/**
 * Which measures a list shows. Every condition is a column comparison the indexes of
 * 0003_list_indexes serve, so a list costs its page and its count, not the whole ledger.
 */
export interface LedgerSelection {
  campaignId: number;
  /** neither closed nor submitted */
  openOnly?: boolean;
  deadlineKind?: DeadlineKind;
  /** several kinds at once (with deadlineKind, both apply) */
  deadlineKinds?: readonly DeadlineKind[];
  status?: MeasureStatus;
  /** closed measures whose closing (verification, or arrival for imported ones) lies in (after, upTo], ISO instants */
  closedWithin?: { after: string; upTo: string };
  /** dated deadlines (not ongoing) with a due date in [from, to], bounds as YYYY-MM-DD, both optional */
  due?: { from?: string; to?: string };
  departmentId?: number;
  categoryId?: number;
  /** measures assigned to personId or led by departmentId; a scope of two nulls owns nothing */
  ownedBy?: { personId: number | null; departmentId: number | null };
}

/**
 * code: 1.9 before 1.10; due: soonest due date first, then code; updated: least recently
 * changed first, then code; closed: earliest closing first (closedAtOf), then code
 */
export type LedgerOrder = 'code' | 'due' | 'updated' | 'closed';

/** When a closed measure counts as closed: its verification, or its arrival for imported ones. */
const closedAtOf = sql`coalesce(${measures.verifiedAt}, ${measures.createdAt})`;

const inLedger = (campaignId: number) => and(eq(measures.campaignId, campaignId), eq(measures.missingFromSource, false));

const ONGOING_KINDS = ['ongoing', 'immediate_ongoing'] as const;
const OPEN_EXCLUDED = ['closed', 'submitted'] as const;

function selectionWhere(s: LedgerSelection): SQL | undefined {
  // A person's measures are found by the lookups below; the campaign is part of them.
  const conditions: Array<SQL | undefined> = [s.ownedBy ? undefined : inLedger(s.campaignId)];
  if (s.openOnly) conditions.push(notInArray(measures.status, [...OPEN_EXCLUDED]));
  if (s.deadlineKind !== undefined) conditions.push(eq(measures.deadlineKind, s.deadlineKind));
  if (s.deadlineKinds !== undefined) conditions.push(inArray(measures.deadlineKind, [...s.deadlineKinds]));
  if (s.status !== undefined) conditions.push(eq(measures.status, s.status));
  if (s.closedWithin) {
    conditions.push(eq(measures.status, 'closed'), sql`${closedAtOf} > ${s.closedWithin.after}`, sql`${closedAtOf} <= ${s.closedWithin.upTo}`);
  }
  if (s.due) {
    conditions.push(notInArray(measures.deadlineKind, [...ONGOING_KINDS]), isNotNull(measures.dueDate));
    if (s.due.from !== undefined) conditions.push(gte(measures.dueDate, s.due.from));
    if (s.due.to !== undefined) conditions.push(lte(measures.dueDate, s.due.to));
  }
  if (s.departmentId !== undefined) conditions.push(eq(measures.leadDepartmentId, s.departmentId));
  if (s.categoryId !== undefined) {
    conditions.push(inArray(measures.problemId, sql`(select ${problems.id} from ${problems} where ${problems.categoryId} = ${s.categoryId})`));
  }
  if (s.ownedBy) {
    // Two index lookups: written as one OR, the planner scans the whole campaign instead.
    const { personId, departmentId } = s.ownedBy;
    const lookup = (c: SQL) => sql`select ${measures.id} from ${measures} where ${and(inLedger(s.campaignId), c)}`;
    const owned = [
      personId !== null ? lookup(eq(measures.ownerPersonId, personId)) : undefined,
      departmentId !== null ? lookup(eq(measures.leadDepartmentId, departmentId)) : undefined,
    ].filter((c): c is SQL => c !== undefined);
    conditions.push(owned.length > 0 ? inArray(measures.id, sql`(${sql.join(owned, sql` union all `)})`) : sql`0`);
  }
  return and(...conditions);
}

const CODE_ORDER = codeOrderOf(measures.code);
/** ISO instants compared as String#localeCompare compares them */
const timeOrder = new Intl.Collator();

export async function countLedgerMeasures(db: Db, selection: LedgerSelection): Promise<number> {
  const [row] = await db.select({ n: count() }).from(measures).where(selectionWhere(selection));
  return row?.n ?? 0;
}

/**
 * One page of a list, in its order, with the names views need. The page's ids are found on the
 * measures table alone (an index serves it); joins and the latest report are read for those ids only.
 */
export async function pageLedgerMeasures(
  db: Db,
  params: { selection: LedgerSelection; order: LedgerOrder; offset: number; limit: number },
): Promise<LedgerMeasureRow[]> {
  const where = selectionWhere(params.selection);
  let ids: number[];
  if (params.order === 'code' || params.order === 'due') {
    const order = params.order === 'due' ? [asc(measures.dueDate), ...CODE_ORDER] : CODE_ORDER;
    ids = (
      await db
        .select({ id: measures.id })
        .from(measures)
        .where(where)
        .orderBy(...order)
        .limit(params.limit)
        .offset(params.offset)
    ).map((r) => r.id);
  } else {
    // No index serves these orders, and sorting by the code expressions in SQL costs more than
    // reading the keys of the selection and sorting them here, as the lists always did.
    const key = params.order === 'updated' ? sql<string>`${measures.updatedAt}` : sql<string>`${closedAtOf}`;
    const keys = (await db.select({ id: measures.id, key, code: measures.code }).from(measures).where(where)).map((r) => ({
      ...r,
      code: measureCodeKey(r.code),
    }));
    keys.sort((a, b) => timeOrder.compare(a.key, b.key) || compareMeasureCodeKeys(a.code, b.code));
    ids = keys.slice(params.offset, params.offset + params.limit).map((r) => r.id);
  }
  if (ids.length === 0) return [];
  const rows = new Map((await ledgerQuery(db, inArray(measures.id, ids))).map((r) => [r.id, toLedgerRow(r)]));
  return ids.map((id) => rows.get(id)!);
}

export interface LedgerCountRow {
  departmentId: number | null;
  departmentName: string | null;
  status: MeasureStatus;
  deadlineKind: DeadlineKind;
  total: number;
  /** due before `today` (whatever the status: the caller knows which count) */
  dueBefore: number;
  /** due from `today` to `dueSoonTo` */
  dueWithin: number;
}

/**
 * The ledger counted per lead department, status and deadline kind: one pass over an index in
 * its own order (no sort), plain comparisons per row; department names joined to the few groups.
 */
export async function countLedgerGroups(db: Db, params: { campaignId: number; today: string; dueSoonTo: string }): Promise<LedgerCountRow[]> {
  const sum = (c: SQL) => sql<number>`coalesce(sum(${c}), 0)`.mapWith(Number);
  const groups = db
    .select({
      departmentId: measures.leadDepartmentId,
      status: measures.status,
      deadlineKind: measures.deadlineKind,
      total: count().as('total'),
      dueBefore: sum(sql`${measures.dueDate} < ${params.today}`).as('due_before'),
      dueWithin: sum(sql`${measures.dueDate} between ${params.today} and ${params.dueSoonTo}`).as('due_within'),
    })
    .from(measures)
    .where(inLedger(params.campaignId))
    .groupBy(measures.leadDepartmentId, measures.status, measures.deadlineKind)
    .as('g');
  return db
    .select({
      departmentId: groups.departmentId,
      departmentName: departments.name,
      status: groups.status,
      deadlineKind: groups.deadlineKind,
      total: groups.total,
      dueBefore: groups.dueBefore,
      dueWithin: groups.dueWithin,
    })
    .from(groups)
    .leftJoin(departments, eq(departments.id, groups.departmentId));
}

/**
 * For instants i0 < i1 < … (ISO), how many measures arrived by each and were closed by each
 * (closedAtOf): the campaign counted in one pass by which instant first covers each time.
 * `present[k]`: arrived by instant k; `closed[k]`: arrived and closed by instant k;
 * `closedAfter[k]`: closed after instant k and by instant k + 1 (whenever they arrived).
 */
export async function countLedgerAsOf(
  db: Db,
  params: { campaignId: number; instants: string[] },
): Promise<{ present: number[]; closed: number[]; closedAfter: number[] }> {
  const n = params.instants.length;
  const bucketOf = (time: SQL) => sql.join([sql`case`, ...params.instants.map((at, k) => sql`when ${time} <= ${at} then ${k}`), sql`else ${n} end`], sql` `);
  const rows = await db
    .select({
      arrived: sql<number>`${bucketOf(sql`${measures.createdAt}`)}`.mapWith(Number),
      closed: sql<number | null>`case when ${measures.status} = 'closed' then ${bucketOf(closedAtOf)} end`,
      n: count(),
    })
    .from(measures)
    .where(inLedger(params.campaignId))
    .groupBy(sql`1`, sql`2`);
  const present = Array<number>(n).fill(0);
  const closed = Array<number>(n).fill(0);
  const closedAfter = Array<number>(n).fill(0);
  for (const r of rows) {
    for (let k = r.arrived; k < n; k++) present[k]! += r.n;
    if (r.closed === null) continue;
    for (let k = Math.max(r.arrived, r.closed); k < n; k++) closed[k]! += r.n;
    if (r.closed > 0 && r.closed < n) closedAfter[r.closed - 1]! += r.n;
  }
  return { present, closed, closedAfter };
}

/**
 * Departments leading at least one measure of the campaign, optionally only those whose name
 * contains a text (case-sensitive, as a plain substring). Reads the small departments table and
 * probes the index for each, rather than scanning the campaign's measures.
 */
export async function listLedgerDepartments(db: Db, params: { campaignId: number; nameContains?: string }): Promise<Array<{ id: number; name: string }>> {
  const leadsAny = sql`exists (select 1 from ${measures} where ${and(inLedger(params.campaignId), eq(measures.leadDepartmentId, departments.id))})`;
  const named = params.nameContains === undefined ? undefined : sql`instr(${departments.name}, ${params.nameContains}) > 0`;
  return db.select({ id: departments.id, name: departments.name }).from(departments).where(and(named, leadsAny));
}

export type CategoryRow = typeof categories.$inferSelect;

/** The problem categories of a campaign with an ordinal, or whose title contains a text (SQL LIKE). */
export async function listLedgerCategories(db: Db, params: { campaignId: number } & ({ ordinal: number } | { titleContains: string })): Promise<CategoryRow[]> {
  const match = 'ordinal' in params ? eq(categories.ordinal, params.ordinal) : like(categories.title, `%${params.titleContains}%`);
  return db
    .select()
    .from(categories)
    .where(and(eq(categories.campaignId, params.campaignId), match));
}

/** Every measure code of a campaign, in no particular order. */
export async function listMeasureCodes(db: Db, campaignId: number): Promise<string[]> {
  const rows = await db.select({ code: measures.code }).from(measures).where(eq(measures.campaignId, campaignId));
  return rows.map((r) => r.code);
}

export type CampaignRow = typeof campaigns.$inferSelect;

export async function listActiveCampaigns(db: Db): Promise<CampaignRow[]> {
  return db.select().from(campaigns).where(eq(campaigns.active, true)).orderBy(asc(campaigns.id));
}

export async function getCampaign(db: Db, params: { campaignId: number }): Promise<CampaignRow | undefined> {
  const rows = await db.select().from(campaigns).where(eq(campaigns.id, params.campaignId)).limit(1);
  return rows[0];
}
