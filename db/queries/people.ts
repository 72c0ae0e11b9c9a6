import { eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import type { Role } from '../../src/domain/enums.js';
import { departments, people, personRoles } from '../schema.js';
import { preparedOnce } from './prepared.js';

export type Person = typeof people.$inferSelect;
export type { Role };

export interface Actor {
  openId: string;
  person?: Person;
  roles: Set<Role>;
}

export async function findPersonByOpenId(db: Db, openId: string): Promise<Person | undefined> {
  // Every message looks its sender up: prepared once.
  const find = preparedOnce(db, 'people.byOpenId', () =>
    db
      .select()
      .from(people)
      .where(eq(people.openId, sql.placeholder('openId')))
      .limit(1)
      .prepare(),
  );
  const rows = await find.all({ openId });
  return rows[0];
}

export async function findPersonById(db: Db, id: number): Promise<Person | undefined> {
  return (await db.select().from(people).where(eq(people.id, id)))[0];
}

export async function personNameById(db: Db, personId: number): Promise<string | null> {
  const [row] = await db.select({ name: people.name }).from(people).where(eq(people.id, personId)).limit(1);
  return row?.name ?? null;
}

/** The people whose contact (email or mobile) or name is exactly this. */
export async function listPeopleByContactOrName(db: Db, token: string): Promise<Person[]> {
  return db
    .select()
    .from(people)
    .where(or(eq(people.contact, token), eq(people.name, token)));
}

export type Department = typeof departments.$inferSelect;

export async function findDepartmentByName(db: Db, name: string): Promise<Department | undefined> {
  return (await db.select().from(departments).where(eq(departments.name, name)).limit(1))[0];
}

export async function setPersonDepartment(db: Db, personId: number, departmentId: number): Promise<void> {
  await db.update(people).set({ departmentId }).where(eq(people.id, personId));
}

export async function rolesOf(db: Db, personId: number): Promise<Set<Role>> {
  const roles = preparedOnce(db, 'people.roles', () =>
    db
      .select({ role: personRoles.role })
      .from(personRoles)
      .where(eq(personRoles.personId, sql.placeholder('personId')))
      .prepare(),
  );
  const rows = await roles.all({ personId });
  return new Set(rows.map((r) => r.role));
}

/** Who is acting, with their roles as the database records them (never as a message claims). */
export async function loadActor(db: Db, openId: string): Promise<Actor> {
  const person = await findPersonByOpenId(db, openId);
  return { openId, person, roles: person ? await rolesOf(db, person.id) : new Set() };
}

/** Creates the person for an open_id if missing; returns it. */
export async function upsertPersonByOpenId(db: Db, openId: string, now: string, name?: string): Promise<Person> {
  await db
    .insert(people)
    .values({ openId, name: name ?? null, createdAt: now })
    .onConflictDoNothing();
  const person = (await findPersonByOpenId(db, openId))!;
  if (name && !person.name) {
    await db.update(people).set({ name }).where(eq(people.id, person.id));
    person.name = name;
  }
  return person;
}

export async function grantRole(db: Db, personId: number, role: Role, grantedBy: string, now: string): Promise<boolean> {
  const rows = await db
    .insert(personRoles)
    .values({ personId, role, grantedBy, createdAt: now })
    .onConflictDoNothing()
    .returning({ personId: personRoles.personId });
  return rows.length > 0;
}

/** The administrators named in the configuration exist and hold the admin role. */
export async function ensureAdmins(db: Db, openIds: string[], now: string): Promise<void> {
  for (const openId of openIds) {
    const person = await upsertPersonByOpenId(db, openId, now);
    await grantRole(db, person.id, 'admin', 'config', now);
  }
}

export async function listPeopleWithRole(db: Db, roles: Role[]): Promise<Person[]> {
  const rows = await db
    .selectDistinct({ person: people })
    .from(people)
    .innerJoin(personRoles, eq(personRoles.personId, people.id))
    .where(inArray(personRoles.role, roles));
  return rows.map((r) => r.person);
}
