import type { DeadlineKind, MeasureStatus } from '../../db/schema.js';

/** The ledger as stored, ready to be written out (the 台账 workbook, the public notice). */
export interface MeasureView {
  code: string;
  text: string;
  leaderName?: string;
  department?: string;
  coDepartments?: string;
  ownerName?: string;
  ownerContact?: string;
  deadlineKind: DeadlineKind;
  /** the deadline as written in the source (or the kind's name when none was written) */
  deadlineText: string;
  /** the current due date (after any extension) */
  dueDate?: string;
  completionStandard?: string;
  status: MeasureStatus;
  percent: number;
  latestProgress?: { text: string; date: string };
  /** days past the due date while not closed; 0 otherwise */
  daysOverdue: number;
  verifiedBy?: string;
  verifiedAt?: string;
  missingFromSource: boolean;
}

export interface LedgerView {
  campaign: string;
  /** YYYY-MM-DD, the day the view was made */
  asOf: string;
  categories: Array<{ ordinal: number; title: string; problems: Array<{ ordinal: number; title: string; measures: MeasureView[] }> }>;
}

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
};
