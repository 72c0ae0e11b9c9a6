/**
 * Seeds a ledger straight into the database (drizzle inserts), for tests that need a campaign
 * with departments, people, roles and measures in known states without going through import.
 *
 *   const ledger = await seedLedger(db, { measures: [{ code: '1.1.1', department: '办公室', owner: 'wang', due: '2025-10-10' }] });
 *   ledger.measures['1.1.1'] // id
 *
 * Categories and problems are derived from the codes: 2.1.3 belongs to problem 2.1 of category 2.
 * Unlisted people named as owner/leader are created with a generated open_id.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { campaigns, categories, chatBindings, departments, measures, people, personRoles, problems, progressReports } from '../../db/schema.js';
import type { DeadlineKind, MeasureStatus, Role } from '../../src/domain/enums.js';

export interface SeedPerson {
  /** how measures refer to this person */
  key: string;
  name?: string;
  /** null: known by name only (not yet bound to a Feishu user) */
  openId?: string | null;
  department?: string;
  roles?: Role[];
}

export interface SeedReport {
  /** ISO instant */
  at: string;
  text?: string;
  percent?: number;
  /** a person key */
  author?: string;
}

export interface SeedMeasure {
  code: string;
  text?: string;
  department?: string | null;
  /** person key */
  owner?: string | null;
  leader?: string | null;
  kind?: DeadlineKind;
  /** YYYY-MM-DD */
  due?: string | null;
  originalDue?: string | null;
  status?: MeasureStatus;
  percent?: number;
  /** ISO instant; defaults to the seed time for closed measures */
  verifiedAt?: string | null;
  /** ISO instant when the measure entered the ledger */
  createdAt?: string;
  reports?: SeedReport[];
  missingFromSource?: boolean;
}

export interface SeedLedgerSpec {
  campaign?: { name?: string; timezone?: string; active?: boolean };
  departments?: string[];
  people?: SeedPerson[];
  measures: SeedMeasure[];
  /** chat ids bound as the leading group's chat */
  leadingGroupChats?: string[];
  /** ISO instant used for created_at and friends */
  now?: string;
}

export interface SeededLedger {
  campaignId: number;
  departments: Record<string, number>;
  people: Record<string, { id: number; openId: string | null; name: string }>;
  measures: Record<string, number>;
}

export async function seedLedger(db: Db, spec: SeedLedgerSpec): Promise<SeededLedger> {
  const now = spec.now ?? '2025-09-01T01:00:00.000Z';
  const [campaign] = await db
    .insert(campaigns)
    .values({
      name: spec.campaign?.name ?? '市委第二巡察组反馈意见整改',
      timezone: spec.campaign?.timezone ?? null,
      active: spec.campaign?.active ?? true,
      createdAt: now,
    })
    .returning({ id: campaigns.id });
  const campaignId = campaign!.id;

  const departmentIds: Record<string, number> = {};
  const ensureDepartment = async (name: string) => {
    if (departmentIds[name] !== undefined) return departmentIds[name]!;
    await db.insert(departments).values({ name, createdAt: now }).onConflictDoNothing();
    const rows = await db.select({ id: departments.id, name: departments.name }).from(departments);
    for (const r of rows) departmentIds[r.name] = r.id;
    return departmentIds[name]!;
  };
  for (const d of spec.departments ?? []) await ensureDepartment(d);

  const peopleIds: SeededLedger['people'] = {};
  /** People are shared across campaigns: an open_id seeded before is reused, not duplicated. */
  const addPerson = async (p: SeedPerson) => {
    const openId = p.openId === undefined ? `ou_${p.key}` : p.openId;
    const name = p.name ?? p.key;
    const inserted = await db
      .insert(people)
      .values({ openId, name, departmentId: p.department ? await ensureDepartment(p.department) : null, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: people.id });
    const id = inserted[0]?.id ?? (await db.select({ id: people.id }).from(people).where(eq(people.openId, openId!)))[0]!.id;
    for (const role of p.roles ?? []) await db.insert(personRoles).values({ personId: id, role, grantedBy: 'seed', createdAt: now }).onConflictDoNothing();
    peopleIds[p.key] = { id, openId, name };
    return peopleIds[p.key]!;
  };
  for (const p of spec.people ?? []) await addPerson(p);
  const person = async (key: string | null | undefined, role: Role) => (key ? (peopleIds[key] ?? (await addPerson({ key, roles: [role] }))) : undefined);

  const categoryIds = new Map<string, number>();
  const problemIds = new Map<string, number>();
  const measureIds: Record<string, number> = {};
  for (const m of spec.measures) {
    const [c, p = '1'] = m.code.split('.');
    let categoryId = categoryIds.get(c!);
    if (categoryId === undefined) {
      const [row] = await db
        .insert(categories)
        .values({ campaignId, ordinal: Number(c), title: `第${c}类问题` })
        .returning({ id: categories.id });
      categoryId = row!.id;
      categoryIds.set(c!, categoryId);
    }
    const problemKey = `${c}.${p}`;
    let problemId = problemIds.get(problemKey);
    if (problemId === undefined) {
      const [row] = await db
        .insert(problems)
        .values({ campaignId, categoryId, ordinal: Number(p), title: `问题${problemKey}` })
        .returning({ id: problems.id });
      problemId = row!.id;
      problemIds.set(problemKey, problemId);
    }
    const owner = await person(m.owner, 'owner');
    const leader = await person(m.leader, 'leader');
    const status = m.status ?? 'in_progress';
    const kind = m.kind ?? (m.due ? 'dated' : 'immediate');
    const [row] = await db
      .insert(measures)
      .values({
        campaignId,
        problemId,
        code: m.code,
        text: m.text ?? `整改措施${m.code}`,
        leadDepartmentId: m.department ? await ensureDepartment(m.department) : null,
        ownerPersonId: owner?.id ?? null,
        ownerName: owner?.name ?? null,
        leaderPersonId: leader?.id ?? null,
        leaderName: leader?.name ?? null,
        deadlineKind: kind,
        dueDate: m.due ?? null,
        originalDueDate: m.originalDue ?? m.due ?? null,
        status,
        percent: m.percent ?? (status === 'closed' ? 100 : 0),
        verifiedAt: m.verifiedAt ?? (status === 'closed' ? now : null),
        verifiedBy: status === 'closed' ? 'seed' : null,
        missingFromSource: m.missingFromSource ?? false,
        createdAt: m.createdAt ?? now,
        updatedAt: m.createdAt ?? now,
      })
      .returning({ id: measures.id });
    measureIds[m.code] = row!.id;
    for (const [i, r] of (m.reports ?? []).entries()) {
      const author = await person(r.author ?? m.owner, 'owner');
      await db.insert(progressReports).values({
        measureId: row!.id,
        authorPersonId: author?.id ?? null,
        authorName: author?.name ?? null,
        text: r.text ?? `第${i + 1}次进展汇报`,
        percent: r.percent ?? null,
        source: 'command',
        idempotencyKey: `seed:${m.code}:${i}`,
        createdAt: r.at,
      });
    }
  }

  for (const chatId of spec.leadingGroupChats ?? []) {
    await db.insert(chatBindings).values({ chatId, purpose: 'leading_group', campaignId, boundBy: 'seed', active: true, createdAt: now });
  }
  return { campaignId, departments: departmentIds, people: peopleIds, measures: measureIds };
}

/**
 * A small ledger around the 2025 National Day holiday with known numbers (as of 2025-10-09):
 * 12 measures in 3 departments; 3 closed (1 of them on 2025-10-09), 1 submitted, 2 overdue open.
 */
export function nationalDayLedger(): SeedLedgerSpec {
  return {
    departments: ['办公室', '财务科', '人事科'],
    people: [
      { key: 'secretary', name: '整改办李明', roles: ['secretary'] },
      { key: 'leader', name: '张书记', roles: ['leader'] },
      { key: 'wang', name: '王芳', department: '办公室', roles: ['owner'] },
      { key: 'zhao', name: '赵强', department: '财务科', roles: ['owner'] },
      { key: 'sun', name: '孙丽', department: '人事科', roles: ['owner'] },
      { key: 'qian', name: '钱伟', openId: null, department: '人事科', roles: ['owner'] },
    ],
    measures: [
      { code: '1.1.1', department: '办公室', owner: 'wang', leader: 'leader', due: '2025-10-10' },
      { code: '1.1.2', department: '办公室', owner: 'wang', leader: 'leader', due: '2025-09-30' },
      { code: '1.2.1', department: '办公室', owner: 'wang', leader: 'leader', due: '2025-10-20' },
      { code: '1.2.2', department: '办公室', owner: 'wang', leader: 'leader', due: '2025-08-29', status: 'closed', verifiedAt: '2025-09-10T02:00:00.000Z' },
      { code: '2.1.1', department: '财务科', owner: 'zhao', leader: 'leader', due: '2025-09-26' },
      { code: '2.1.2', department: '财务科', owner: 'zhao', leader: 'leader', due: '2025-10-15', status: 'submitted' },
      { code: '2.1.3', department: '财务科', owner: 'zhao', leader: 'leader', due: '2025-09-30', status: 'closed', verifiedAt: '2025-10-09T02:00:00.000Z' },
      { code: '2.2.1', department: '财务科', owner: 'zhao', leader: 'leader', kind: 'ongoing', due: null, reports: [{ at: '2025-09-15T02:00:00.000Z' }] },
      {
        code: '3.1.1',
        department: '人事科',
        owner: 'sun',
        leader: 'leader',
        kind: 'immediate',
        due: null,
        status: 'closed',
        verifiedAt: '2025-09-20T02:00:00.000Z',
      },
      { code: '3.1.2', department: '人事科', owner: 'sun', leader: 'leader', due: '2025-12-31' },
      { code: '3.2.1', department: '人事科', owner: 'qian', leader: 'leader', due: '2025-10-13' },
      { code: '3.2.2', department: '人事科', owner: 'sun', leader: 'leader', kind: 'ongoing', due: null, reports: [{ at: '2025-10-02T02:00:00.000Z' }] },
    ],
    leadingGroupChats: ['oc_leading_group'],
  };
}
