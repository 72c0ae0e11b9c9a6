import type { Actor } from '../../db/queries/people.js';
import type { MeasureRow } from '../../db/queries/measures-write.js';

/**
 * Who may do what with a measure, decided from the roles and assignments the database holds.
 * The secretary (整改办) and admins manage everything; leaders see everything and verify;
 * owners see and report on measures assigned to them or led by their department.
 */

type MeasureScope = Pick<MeasureRow, 'ownerPersonId' | 'leadDepartmentId'>;

export const isManager = (a: Actor) => a.roles.has('secretary') || a.roles.has('admin');
export const isLeader = (a: Actor) => a.roles.has('leader');

export function ownsMeasure(a: Actor, m: MeasureScope): boolean {
  if (!a.person) return false;
  if (m.ownerPersonId !== null && m.ownerPersonId === a.person.id) return true;
  return a.roles.has('owner') && a.person.departmentId !== null && m.leadDepartmentId === a.person.departmentId;
}

export const canSee = (a: Actor, m: MeasureScope) => isManager(a) || isLeader(a) || ownsMeasure(a, m);
export const canReport = (a: Actor, m: MeasureScope) => isManager(a) || ownsMeasure(a, m);
export const canSubmit = (a: Actor, m: MeasureScope) => ownsMeasure(a, m) || isManager(a);
export const canRequestExtension = (a: Actor, m: MeasureScope) => ownsMeasure(a, m);
export const canVerify = (a: Actor) => isManager(a) || isLeader(a);
export const canDecideExtension = (a: Actor) => isManager(a);
