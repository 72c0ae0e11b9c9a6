import type { Actor } from '../../db/queries/people.js';
import type { MeasureRow } from '../../db/queries/measures-write.js';
import type { Role } from '../domain/enums.js';

/**
 * Who may do what with a measure, decided from the roles and assignments the database holds.
 * The secretary (整改办) and admins manage everything; leaders see everything and verify;
 * owners see and report on measures assigned to them or led by their department.
 */

type MeasureScope = Pick<MeasureRow, 'ownerPersonId' | 'leadDepartmentId'>;

/** Role groups, as commands grant them (`roles` of a command) and the predicates below test them. */
export const MANAGERS: readonly Role[] = ['secretary', 'admin'];
/** Who sees the whole ledger and may verify: leaders and managers. */
export const VIEWERS: readonly Role[] = ['leader', 'secretary', 'admin'];
export const VERIFIERS: readonly Role[] = VIEWERS;
/** Who reports progress: owners, and managers on their behalf. */
export const REPORTERS: readonly Role[] = ['owner', 'secretary', 'admin'];
export const ANY_ROLE: readonly Role[] = ['owner', 'leader', 'secretary', 'admin'];

/** Anything holding roles: an actor, or the role set of one. */
type HasRoles = { roles: ReadonlySet<string> };
export const hasAnyRole = (a: HasRoles, group: readonly Role[]) => group.some((r) => a.roles.has(r));

export const isAdmin = (a: HasRoles) => a.roles.has('admin');
export const isManager = (a: HasRoles) => hasAnyRole(a, MANAGERS);
/** Sees every measure of the ledger, not only those they own. */
export const mayViewAll = (a: HasRoles) => hasAnyRole(a, VIEWERS);

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

export const canSee = (a: Actor, m: MeasureScope) => mayViewAll(a) || ownsMeasure(a, m);
export const canReport = (a: Actor, m: MeasureScope) => isManager(a) || ownsMeasure(a, m);
export const canSubmit = (a: Actor, m: MeasureScope) => ownsMeasure(a, m) || isManager(a);
export const canRequestExtension = (a: Actor, m: MeasureScope) => ownsMeasure(a, m);
export const canVerify = (a: Actor) => hasAnyRole(a, VERIFIERS);
export const canDecideExtension = (a: Actor) => isManager(a);
/** 回头看: whoever verified the closure, the measure's owner, or a manager may answer the re-check. */
export const canAnswerRecheck = (a: Actor, recheck: { verifierOpenId: string | null }, m: MeasureScope) =>
  (recheck.verifierOpenId !== null && recheck.verifierOpenId === a.openId) || ownsMeasure(a, m) || isManager(a);
