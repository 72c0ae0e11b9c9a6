import type { DeadlineKind, ExtensionStatus, LedgerLayout, MeasureStatus, Role } from './enums.js';

/**
 * Every word a user reads for a stored value: one vocabulary for chat replies, cards, exported
 * files and import summaries, so a status or a role reads the same wherever it appears.
 */

export const STATUS_LABELS: Record<MeasureStatus, string> = {
  not_started: '未开始',
  in_progress: '整改中',
  submitted: '待销号',
  closed: '已销号',
  returned: '已退回',
};

export const DEADLINE_KIND_LABELS: Record<DeadlineKind, string> = {
  dated: '限期完成',
  immediate: '立行立改',
  ongoing: '长期坚持',
  immediate_ongoing: '立行立改、长期坚持',
  unset: '时限待定',
};

export const EXTENSION_STATUS_LABELS: Record<ExtensionStatus, string> = {
  pending: '待审批',
  approved: '已同意',
  rejected: '已驳回',
  withdrawn: '已撤回',
};

export const ROLE_LABELS: Record<Role, string> = { admin: '管理员', secretary: '整改办', leader: '领导', owner: '责任人' };

/** What a command may write for a role (/assign 张三 整改办): the labels, their synonyms and the codes. */
export const ROLE_WORDS: Record<string, Role> = {
  secretary: 'secretary',
  整改办: 'secretary',
  秘书: 'secretary',
  leader: 'leader',
  领导: 'leader',
  owner: 'owner',
  责任人: 'owner',
  admin: 'admin',
  管理员: 'admin',
};

export const LAYOUT_LABELS: Record<LedgerLayout, string> = { table: '表格', numbered: '编号文本', notice: '通报体' };

/** A measure's fields as an import summary and the history name what changed. */
export const FIELD_LABELS: Record<string, string> = {
  text: '措施内容',
  category: '问题类别',
  problem: '问题',
  department: '责任部门',
  coDepartments: '配合部门',
  leaderName: '责任领导',
  ownerName: '责任人',
  ownerContact: '联系方式',
  deadline: '整改时限',
  completionStandard: '完成标准',
  restored: '重新出现',
};

/** The history's words for an audit action (status changes are shown as from → to instead). */
export const ACTION_WORDS: Record<string, string> = {
  assign: '指派责任人',
  extension_requested: '申请延期',
  extension_approved: '同意延期',
  extension_rejected: '驳回延期',
  deadline_set: '设定整改时限',
  recheck_held: '回头看：确认整改成效巩固',
  recheck_rebound: '回头看：出现反弹，恢复整改',
  evidence_waived: '同意免于佐证',
  import: '台账导入',
  import_update: '台账更新',
  'import.add': '导入台账：新增措施',
  'import.update': '导入台账：更新措施',
  'import.missing': '导入台账：新台账中已没有这条措施',
};

/** Who acted, when it was not a person: what a system actor stands for in the history. */
export const SYSTEM_ACTORS: Record<string, string> = { import: '命令行导入' };

/** Inbox events by type, as an administrator reads parked work (/status). */
export const EVENT_LABELS: Record<string, string> = {
  'im.message.receive_v1': '收到的消息',
  'card.action.trigger': '卡片操作',
  'im.chat.member.bot.added_v1': '机器人入群事件',
  'im.chat.member.bot.deleted_v1': '机器人被移出群事件',
  'im.chat.access_event.bot_p2p_chat_entered_v1': '进入单聊事件',
  'application.bot.menu_v6': '机器人菜单事件',
  p2p_chat_create: '创建单聊事件',
};

/** Outbox messages by kind, as an administrator reads parked work (/status). */
export const MESSAGE_LABELS: Record<string, string> = {
  create: '待发送的消息',
  reply: '待发送的回复',
  patch: '卡片更新',
  card_update: '卡片更新',
};
