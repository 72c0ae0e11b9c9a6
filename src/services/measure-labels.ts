import type { DeadlineKind, MeasureStatus } from '../../db/schema.js';

export const STATUS_LABELS: Record<MeasureStatus, string> = {
  not_started: '未开始',
  in_progress: '整改中',
  submitted: '待审核销号',
  closed: '已销号',
  returned: '已退回',
};

export const DEADLINE_KIND_LABELS: Record<DeadlineKind, string> = {
  dated: '限期完成',
  immediate: '立行立改',
  ongoing: '长期坚持',
  immediate_ongoing: '立行立改、长期坚持',
};
