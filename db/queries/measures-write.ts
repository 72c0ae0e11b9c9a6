import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { measures } from '../schema.js';

export type MeasureRow = typeof measures.$inferSelect;
export type MeasureChange = Partial<
  Pick<
    MeasureRow,
    'status' | 'percent' | 'ownerPersonId' | 'dueDate' | 'originalDueDate' | 'deadlineKind' | 'deadlineText' | 'verifiedBy' | 'verifiedAt' | 'leadDepartmentId'
  >
>;

/** A new value for a column: a plain value, or an SQL expression over the row as it is now. */
export type EditValue<K extends keyof MeasureChange> = MeasureChange[K] | SQL;
export type MeasureEditSet = { [K in keyof MeasureChange]?: EditValue<K> };

export async function getMeasure(db: Db, id: number): Promise<MeasureRow | undefined> {
  const rows = await db.select().from(measures).where(eq(measures.id, id)).limit(1);
  return rows[0];
}

/** The measure with this code (already normalised) in a campaign. */
export async function getMeasureByCode(db: Db, p: { campaignId: number; code: string }): Promise<MeasureRow | undefined> {
  const rows = await db
    .select()
    .from(measures)
    .where(and(eq(measures.campaignId, p.campaignId), eq(measures.code, p.code)))
    .limit(1);
  return rows[0];
}

/** The measures of a campaign that a department leads. */
export async function listMeasuresLedBy(db: Db, p: { campaignId: number; departmentId: number }): Promise<MeasureRow[]> {
  return db
    .select()
    .from(measures)
    .where(and(eq(measures.campaignId, p.campaignId), eq(measures.leadDepartmentId, p.departmentId)));
}

const columns = getTableColumns(measures);

export interface MeasureEdit {
  /** the rows to change, e.g. sql`id = ${id}` */
  target: SQL;
  /**
   * The condition under which the change applies, evaluated on the row as it is inside the
   * transaction (its status, owner, a missing idempotency key...), never on an earlier read.
   */
  when: SQL;
  set: MeasureEditSet;
  actor: string;
  action: string;
  note?: string | null;
  at: string;
}

const valueSql = (v: unknown): SQL => (v instanceof Object && 'getSQL' in (v as object) ? (v as SQL) : sql`${v ?? null}`);
const columnSql = (key: keyof MeasureChange) => sql.raw(`"${columns[key].name}"`);

function jsonOf(entries: Array<[string, SQL]>): SQL {
  if (entries.length === 0) return sql`json_object()`;
  return sql`json_object(${sql.join(
    entries.map(([k, v]) => sql`${k}, ${v}`),
    sql`, `,
  )})`;
}

/**
 * The statements of one change to measures: the audit row (old and new values read from the
 * row itself) and the update, both under the same condition so they apply together or not at
 * all. The update returns the rows it changed: that, not a later read, tells whether the
 * change happened and what was stored. Run them with `runAtomically`; `updateIndex` is the
 * position of the update among the returned statements.
 */
export function measureEditStatements(edit: MeasureEdit): { statements: SQL[]; updateIndex: number } {
  const keys = Object.keys(edit.set) as Array<keyof MeasureChange>;
  const before = jsonOf(keys.map((k) => [k, columnSql(k)]));
  const after = jsonOf(keys.map((k) => [k, valueSql(edit.set[k])]));
  const where = sql`(${edit.target}) and (${edit.when})`;
  const audit = sql`insert into audit_log (measure_id, campaign_id, actor, action, before, after, note, at)
    select id, campaign_id, ${edit.actor}, ${edit.action}, ${before}, ${after}, ${edit.note ?? null}, ${edit.at} from measures where ${where}`;
  const assignments = keys.map((k) => sql`${columnSql(k)} = ${valueSql(edit.set[k])}`);
  const update = sql`update measures set ${sql.join([...assignments, sql`version = version + 1`, sql`updated_at = ${edit.at}`], sql`, `)}
    where ${where} returning *`;
  return { statements: [audit, update], updateIndex: 1 };
}

/**
 * The SQL form of "rows this person owns" (the rule itself, who counts as owning what, is
 * `ownedScopeOf` in src/services/measure-access.ts): assigned to them, or led by the
 * department they own measures for.
 */
export function ownedBy(scope: { personId: number | null; departmentId: number | null }): SQL {
  const parts = [
    scope.personId === null ? undefined : sql`owner_person_id = ${scope.personId}`,
    scope.departmentId === null ? undefined : sql`lead_department_id = ${scope.departmentId}`,
  ].filter((x): x is SQL => x !== undefined);
  return parts.length === 0 ? sql`0` : sql`(${sql.join(parts, sql` or `)})`;
}

export const measureIs = (id: number): SQL => sql`id = ${id}`;
export const always: SQL = sql`1`;
