import type { DeadlineKind, MeasureStatus } from '../domain/enums.js';

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
  /** the evidence (佐证材料) attached, by name, oldest first; absent when none */
  evidence?: string[];
}

export interface LedgerView {
  campaign: string;
  /** YYYY-MM-DD, the day the view was made */
  asOf: string;
  categories: Array<{ ordinal: number; title: string; problems: Array<{ ordinal: number; title: string; measures: MeasureView[] }> }>;
}
