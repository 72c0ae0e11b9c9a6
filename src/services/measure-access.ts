import type { Actor } from '../../db/queries/people.js';
import type { Role } from '../../db/schema.js';
import type { MeasureRow } from '../../db/queries/measures-write.js';

/**
 * Who may do what with a measure, decided from the roles and assignments the database holds.
 * The secretary (整改办) and admins manage everything; leaders see everything and verify;
 * owners see and report on measures assigned to them or led by their department.
 */

type MeasureScope = Pick<MeasureRow, 'ownerPersonId' | 'leadDepartmentId'>;

export const isManager = (a: Actor) => a.roles.has('secretary') || a.roles.has('admin');
export const isLeader = (a: Actor) => a.roles.has('leader');

/**
 * What a person owns: measures assigned to them, and, with the owner role, measures their
 * department leads. Lists turn the same scope into SQL (db/queries/measures-read.ts).
 */
export interface OwnedScope {
  personId: number | null;
  departmentId: number | null;
}

export function ownedScopeOf(a: Actor): OwnedScope {
  return { personId: a.person?.id ?? null, departmentId: a.roles.has('owner') ? (a.person?.departmentId ?? null) : null };
}

export function ownsMeasure(a: Actor, m: MeasureScope): boolean {
  const s = ownedScopeOf(a);
  return (s.personId !== null && m.ownerPersonId === s.personId) || (s.departmentId !== null && m.leadDepartmentId === s.departmentId);
}

export const canSee = (a: Actor, m: MeasureScope) => isManager(a) || isLeader(a) || ownsMeasure(a, m);
export const canReport = (a: Actor, m: MeasureScope) => isManager(a) || ownsMeasure(a, m);
export const canSubmit = (a: Actor, m: MeasureScope) => ownsMeasure(a, m) || isManager(a);
export const canRequestExtension = (a: Actor, m: MeasureScope) => ownsMeasure(a, m);
export const canVerify = (a: Actor) => isManager(a) || isLeader(a);
/** Whole-ledger lists (overdue, by department): the secretary, admins and leaders. */
export const canViewAllMeasures = (a: Actor) => isManager(a) || isLeader(a);
export const canDecideExtension = (a: Actor) => isManager(a);

/** Role groups as commands grant them (a command's `roles`). Admins manage like the secretary. */
export const MANAGERS: Role[] = ['secretary', 'admin'];
export const VERIFIERS: Role[] = ['leader', 'secretary', 'admin'];
export const VIEWERS: Role[] = ['leader', 'secretary', 'admin'];
export const ANY_ROLE: Role[] = ['owner', 'leader', 'secretary', 'admin'];
