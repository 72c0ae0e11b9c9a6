/**
 * A large generated ledger written with plain SQL into a migrated SQLite file, for the lists'
 * correctness test and `npm run bench`. Deterministic for a given seed: departments, owners with
 * and without the owner role, every status and deadline kind, due dates crowded on a few hundred
 * days around `today` (so orderings have ties to break by code), codes of 2 to 4 levels with
 * 1.9 / 1.10 and leading zeros, rows inserted out of code order, measures no longer in the source
 * ledger, and an older campaign whose measures no list of the current one may show.
 */
import Database from 'better-sqlite3';
import type { DeadlineKind, MeasureStatus, Role } from '../../src/domain/enums.js';

export interface BigLedgerOptions {
  measures: number;
  /** YYYY-MM-DD the due dates are spread around */
  today: string;
  seed?: number;
  departments?: number;
  owners?: number;
}

export interface BigPerson {
  id: number;
  key: string;
  openId: string | null;
  name: string;
  departmentId: number | null;
  roles: Role[];
}

export interface BigMeasure {
  id: number;
  campaignId: number;
  code: string;
  categoryOrdinal: number;
  departmentId: number | null;
  ownerPersonId: number | null;
  status: MeasureStatus;
  kind: DeadlineKind;
  dueDate: string | null;
  missingFromSource: boolean;
}

export interface BigLedger {
  campaignId: number;
  otherCampaignId: number;
  departments: Array<{ id: number; name: string }>;
  people: BigPerson[];
  /** both campaigns, in insertion (id) order */
  measures: BigMeasure[];
  categories: Array<{ id: number; campaignId: number; ordinal: number; title: string }>;
}

/** mulberry32: small, fast, and the same on every machine */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(weighted: Array<[T, number]>): T => {
    let r = next() * weighted.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of weighted) if ((r -= w) < 0) return v;
    return weighted[weighted.length - 1]![0];
  };
  return { next, int, pick };
}

const DAY_MS = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

const NAMED_DEPARTMENTS = ['办公室', '财务科', '人事科', '纪检组', '宣传科', '后勤服务中心'];

/** Codes of one campaign, in code order: c.p.m, a few c.p.m.n, and some with a leading zero. */
function codesFor(count: number, rnd: ReturnType<typeof random>): string[] {
  const codes: string[] = [];
  for (let c = 1; codes.length < count; c++) {
    for (let p = 1; p <= 12 && codes.length < count; p++) {
      const n = 1 + rnd.int(40);
      for (let m = 1; m <= n && codes.length < count; m++) {
        codes.push(`${c}.${p}.${m}`);
        if (rnd.next() < 0.03) for (let k = 1; k <= 2 && codes.length < count; k++) codes.push(`${c}.${p}.${m}.${k}`);
        if (m === 1 && rnd.next() < 0.1 && codes.length < count) codes.push(`${c}.${p}.0${m}`);
      }
    }
  }
  return codes;
}

export function seedBigLedger(path: string, o: BigLedgerOptions): BigLedger {
  const rnd = random(o.seed ?? 20251009);
  const now = `${o.today}T00:00:00.000Z`;
  const sqlite = new Database(path);
  sqlite.pragma('foreign_keys = ON');
  const ledger: BigLedger = { campaignId: 0, otherCampaignId: 0, departments: [], people: [], measures: [], categories: [] };
  const statements = new Map<string, Database.Statement>();
  const insert = <T extends Record<string, unknown>>(table: string, row: T): number => {
    const columns = Object.keys(row);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = sqlite.prepare(sql)));
    return Number(statement.run(row).lastInsertRowid);
  };

  sqlite.transaction(() => {
    const departmentCount = o.departments ?? 25;
    for (let i = 0; i < departmentCount; i++) {
      const name = NAMED_DEPARTMENTS[i] ?? `业务${i - NAMED_DEPARTMENTS.length + 1}科`;
      ledger.departments.push({ id: insert('departments', { name, created_at: now }), name });
    }
    const addPerson = (key: string, p: Omit<BigPerson, 'id' | 'key'>) => {
      const id = insert('people', { open_id: p.openId, name: p.name, department_id: p.departmentId, created_at: now });
      for (const role of p.roles) insert('person_roles', { person_id: id, role, granted_by: 'seed', created_at: now });
      ledger.people.push({ id, key, ...p });
    };
    addPerson('secretary', { openId: 'ou_secretary', name: '整改办', departmentId: null, roles: ['secretary'] });
    addPerson('leader', { openId: 'ou_leader', name: '张书记', departmentId: null, roles: ['leader'] });
    addPerson('admin', { openId: 'ou_admin', name: '管理员', departmentId: null, roles: ['admin'] });
    const ownerCount = o.owners ?? 200;
    for (let i = 0; i < ownerCount; i++) {
      const department = ledger.departments[i % ledger.departments.length]!;
      // Most owners have the owner role (their department's measures are theirs); some are only
      // assigned measures by name, some are known by name only (not yet bound to Feishu).
      const roles: Role[] = i % 10 === 3 ? [] : i % 10 === 7 ? ['leader', 'owner'] : ['owner'];
      addPerson(`owner${i}`, { openId: i % 25 === 24 ? null : `ou_owner${i}`, name: `责任人${i}`, departmentId: i % 15 === 14 ? null : department.id, roles });
    }
    const owners = ledger.people.filter((p) => p.key.startsWith('owner'));
    const ownersOf = new Map<number | null, BigPerson[]>();
    for (const p of owners) ownersOf.set(p.departmentId, [...(ownersOf.get(p.departmentId) ?? []), p]);

    const campaign = (name: string, count: number) => {
      const campaignId = insert('campaigns', { name, active: 1, created_at: now });
      const categoryIds = new Map<number, number>();
      const problemIds = new Map<string, number>();
      const codes = codesFor(count, rnd);
      // Insert out of code order: ids must not stand in for the order of codes.
      for (let i = codes.length - 1; i > 0; i--) {
        const j = rnd.int(i + 1);
        [codes[i], codes[j]] = [codes[j]!, codes[i]!];
      }
      for (const code of codes) {
        const [c, p] = code.split('.').map(Number) as [number, number];
        let categoryId = categoryIds.get(c);
        if (categoryId === undefined) {
          const title = `第${c}类问题`;
          categoryId = insert('categories', { campaign_id: campaignId, ordinal: c, title });
          categoryIds.set(c, categoryId);
          ledger.categories.push({ id: categoryId, campaignId, ordinal: c, title });
        }
        let problemId = problemIds.get(`${c}.${p}`);
        if (problemId === undefined) {
          problemId = insert('problems', { campaign_id: campaignId, category_id: categoryId, ordinal: p, title: `问题${c}.${p}` });
          problemIds.set(`${c}.${p}`, problemId);
        }
        const department = rnd.next() < 0.03 ? null : ledger.departments[rnd.int(ledger.departments.length)]!;
        const sameDepartment = department ? (ownersOf.get(department.id) ?? []) : [];
        const owner =
          rnd.next() < 0.1
            ? null
            : rnd.next() < 0.85 && sameDepartment.length > 0
              ? sameDepartment[rnd.int(sameDepartment.length)]!
              : owners[rnd.int(owners.length)]!;
        const status = rnd.pick<MeasureStatus>([
          ['not_started', 20],
          ['in_progress', 40],
          ['submitted', 10],
          ['closed', 25],
          ['returned', 5],
        ]);
        const kind = rnd.pick<DeadlineKind>([
          ['dated', 75],
          ['immediate', 8],
          ['ongoing', 10],
          ['immediate_ongoing', 7],
        ]);
        // Due dates on ~400 distinct days from a year before today to a year after, today and its
        // neighbours included, so each day carries dozens of measures.
        const offset =
          rnd.next() < 0.05
            ? rnd.pick([
                [-1, 1],
                [0, 1],
                [1, 1],
                [7, 1],
                [8, 1],
                [365, 1],
              ])
            : rnd.int(400) - 200;
        const dated = kind === 'dated' || rnd.next() < 0.4;
        const dueDate = dated ? addDays(o.today, offset) : null;
        const missingFromSource = rnd.next() < 0.03;
        const id = insert('measures', {
          campaign_id: campaignId,
          problem_id: problemId,
          code,
          text: `第${code}项整改措施：完善制度并严格落实`,
          lead_department_id: department?.id ?? null,
          owner_person_id: owner?.id ?? null,
          owner_name: owner?.name ?? null,
          deadline_kind: kind,
          deadline_text: dueDate,
          due_date: dueDate,
          original_due_date: dueDate,
          status,
          percent: status === 'closed' ? 100 : rnd.int(100),
          verified_at: status === 'closed' ? now : null,
          verified_by: status === 'closed' ? 'seed' : null,
          missing_from_source: missingFromSource ? 1 : 0,
          version: 1,
          created_at: now,
          updated_at: now,
        });
        if (rnd.next() < 0.1) {
          insert('progress_reports', {
            measure_id: id,
            author_person_id: owner?.id ?? null,
            author_name: owner?.name ?? null,
            text: '阶段性进展',
            percent: 50,
            source: 'command',
            idempotency_key: `seed:${campaignId}:${code}`,
            created_at: `${addDays(o.today, -rnd.int(90))}T02:00:00.000Z`,
          });
        }
        ledger.measures.push({
          id,
          campaignId,
          code,
          categoryOrdinal: c,
          departmentId: department?.id ?? null,
          ownerPersonId: owner?.id ?? null,
          status,
          kind,
          dueDate,
          missingFromSource,
        });
      }
      return campaignId;
    };
    // The older campaign first: the latest active one is what chats look at.
    ledger.otherCampaignId = campaign('上一轮巡察反馈意见整改', Math.max(50, Math.floor(o.measures / 40)));
    ledger.campaignId = campaign('市委第二巡察组反馈意见整改', o.measures);
  })();
  sqlite.close();
  return ledger;
}
