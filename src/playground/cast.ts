/**
 * The people the playground lets you act as, and their chats with the bot. The defaults match
 * the shipped sample ledger (the synthetic Hulin union ledger): its 责任部门 include 组织部 and
 * 办公室, whose owners are 组织部部长 and 办公室主任.
 */

export type CastRole = 'admin' | 'secretary' | 'leader' | 'owner';

export interface CastMember {
  openId: string;
  name: string;
  /** what the page shows beside the name: the part they play */
  title: string;
  role: CastRole;
  /** the department they lead in the sample ledger (owners) */
  department?: string;
}

export interface Chat {
  id: string;
  /** what the chat list shows: the person's name for a private chat, the group's name otherwise */
  name: string;
  type: 'p2p' | 'group';
  /** open_ids of the people in it (the bot is always in it) */
  members: string[];
}

export const BOT = { openId: 'ou_pgbot000000000000000000000000001', name: '整改督办助手' } as const;
export const APP_ID = 'cli_playground0000001';
export const TENANT_KEY = 'tenant_playground';
export const LEADING_GROUP = { id: 'oc_pg_leading_group0000000000001', name: '整改工作领导小组' } as const;

export const DEFAULT_CAST: readonly CastMember[] = [
  { openId: 'ou_pg_admin0000000000000000000001', name: '周立明', title: '管理员', role: 'admin' },
  { openId: 'ou_pg_secretary00000000000000001', name: '陈静', title: '整改办', role: 'secretary' },
  { openId: 'ou_pg_leader000000000000000000001', name: '张建国', title: '领导（党组书记）', role: 'leader' },
  { openId: 'ou_pg_owner0000000000000000000001', name: '王海涛', title: '责任人（组织部部长）', role: 'owner', department: '组织部' },
  { openId: 'ou_pg_owner0000000000000000000002', name: '刘芳', title: '责任人（办公室主任）', role: 'owner', department: '办公室' },
];

/** Each person's private chat with the bot. */
export const p2pChatId = (openId: string) => `oc_pg_p2p_${openId.slice(3)}`;

/** Names are what mentions and bubbles show: one line, at most 20 characters. */
export function cleanName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const n = name.replace(/\s+/g, ' ').trim();
  return n.length >= 1 && n.length <= 20 && !/[@<>]/.test(n) ? n : undefined;
}
