import type { DeadlineKind, ExtensionStatus, MeasureStatus } from '../../db/schema.js';

/** The words users see for statuses and deadline kinds: one vocabulary for chat, cards and files. */

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
