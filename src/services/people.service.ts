import { applyOwnerAssignment } from '../../db/queries/measure-changes.js';
import { listMeasuresLedBy, type MeasureRow } from '../../db/queries/measures-write.js';
import {
  findDepartmentByName,
  grantRole,
  listPeopleByContactOrName,
  setPersonDepartment,
  upsertPersonByOpenId,
  type Actor,
  type Person,
  type Role,
} from '../../db/queries/people.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from '../services/errors.js';
import type { Notice } from './notice.js';

/**
 * People in the ledger: finding the person a command names (an @mention, an open_id, an email
 * or a name already known), assigning owners, and granting roles.
 */

/** Resolves what a command wrote for a person. */
export async function resolvePerson(deps: ServiceDeps, input: string, mentionNames: Map<string, string>): Promise<Person> {
  const now = deps.clock.now().toISOString();
  const token = input.trim().replace(/^@/, '');
  if (/^ou_[0-9a-zA-Z_-]+$/.test(token)) return upsertPersonByOpenId(deps.db, token, now, mentionNames.get(token));
  const rows = await listPeopleByContactOrName(deps.db, token);
  const bound = rows.filter((p) => p.openId);
  if (bound.length === 1) return bound[0]!;
  if (bound.length > 1) throw new UserError(`“${token}”对应多位同事，请在群里 @ 该同事，或使用其 open_id。`);
  if (rows.length > 0) throw new UserError(`“${token}”还没有关联飞书账号。请在群里 @ 该同事来指派。`);
  throw new UserError(`没有找到“${token}”。请在群里 @ 该同事，或填写其 open_id、邮箱或台账中的姓名。`);
}

/**
 * Makes a person the owner of one measure (by code) or of every measure a department leads.
 * The person receives the owner role; for a department they also join it.
 */
export async function assignOwner(
  deps: ServiceDeps,
  p: { actor: Actor; campaignId: number; measure?: MeasureRow; departmentName?: string; person: Person },
): Promise<{ measures: MeasureRow[]; changed: MeasureRow[]; notices: Notice[] }> {
  const now = deps.clock.now().toISOString();
  let targets: MeasureRow[];
  if (p.measure) targets = [p.measure];
  else {
    const dept = await findDepartmentByName(deps.db, p.departmentName!);
    if (!dept) throw new UserError(`没有名为“${p.departmentName}”的责任部门，也没有这个编号的措施。`);
    targets = await listMeasuresLedBy(deps.db, { campaignId: p.campaignId, departmentId: dept.id });
    if (targets.length === 0) throw new UserError(`“${dept.name}”在当前整改任务中没有牵头的措施。`);
    if (p.person.departmentId !== dept.id) await setPersonDepartment(deps.db, p.person.id, dept.id);
  }
  // One set-based change: every target not yet owned by the person, decided inside the transaction.
  const changed = await applyOwnerAssignment(deps.db, {
    target: p.measure ? { measureId: p.measure.id } : { campaignId: p.campaignId, departmentId: targets[0]!.leadDepartmentId! },
    personId: p.person.id,
    actor: p.actor.openId,
    at: now,
  });
  await grantRole(deps.db, p.person.id, 'owner', p.actor.openId, now);
  const codes = targets.map((m) => m.code);
  const notices: Notice[] =
    p.person.openId && p.person.openId !== p.actor.openId
      ? [
          {
            toOpenId: p.person.openId,
            text: `您已被指定为整改措施 ${codes.slice(0, 10).join('、')}${codes.length > 10 ? ` 等 ${codes.length} 项` : ''} 的责任人。发送 /mine 查看您负责的措施。`,
            key: `assign:${p.person.id}:${codes.join(',').slice(0, 200)}`,
          },
        ]
      : [];
  return { measures: targets, changed, notices };
}

export async function grantRoleTo(deps: ServiceDeps, p: { actor: Actor; person: Person; role: Role }): Promise<boolean> {
  if (p.role === 'admin') throw new UserError('管理员由部署配置 ADMIN_OPEN_IDS 指定，不能在聊天中授予。');
  return grantRole(deps.db, p.person.id, p.role, p.actor.openId, deps.clock.now().toISOString());
}
