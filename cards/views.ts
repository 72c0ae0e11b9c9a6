/**
 * View data the services fill and the cards render. Everything is already computed
 * (countdown labels, which buttons a viewer may press, dates as strings): cards
 * never look at the clock, the database or the viewer's roles.
 */
import type { MeasureStatus } from '../src/domain/enums.js';

export type { MeasureStatus };

/** Drives the header colour and the countdown colour. */
export const DEADLINE_STATES = ['on_track', 'due_soon', 'due_today', 'overdue', 'immediate', 'ongoing', 'submitted', 'closed', 'returned'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** Buttons a viewer may press on a measure card; decided by the services. */
export const MEASURE_ACTIONS = ['report', 'submit', 'extend', 'history', 'verify', 'return', 'evidence_upload', 'evidence_files'] as const;
export type MeasureAction = (typeof MEASURE_ACTIONS)[number];

export type LatestReport = { excerpt: string; author: string; date: string };
export type PendingExtension = { newDate: string; reason: string };

/** One piece of evidence as a card lists it; everything already in words. */
export type EvidenceItemView = {
  kind: 'file' | 'image' | 'link';
  /** the file name, or the link */
  name: string;
  /** 1.2 MB; null for links */
  size: string | null;
  by: string;
  /** 2025-10-09 */
  date: string;
  /** links only: where it points */
  url?: string;
};

export type MeasureEvidenceView = {
  /** the first items (the card shows a few), oldest first */
  items: EvidenceItemView[];
  total: number;
  /** the secretary's waiver (免于佐证) */
  waived: { by: string; reason: string } | null;
  /** EVIDENCE_REQUIRED: closure needs evidence */
  required: boolean;
};

export type MeasureView = {
  id: number;
  code: string;
  campaignName: string;
  categoryTitle: string;
  problemTitle: string;
  text: string;
  leadDepartment: string | null;
  coDepartments: string[];
  leaderName: string | null;
  ownerName: string | null;
  /** as written in the ledger, e.g. 2025年3月底前, 立行立改 */
  deadlineText: string;
  /** YYYY-MM-DD, the current due date (after any approved extension), or null for 立行立改 / 长期坚持 without a date */
  dueDate: string | null;
  /** YYYY-MM-DD, the due date before an approved extension moved it; null when never extended */
  extendedFrom: string | null;
  deadlineState: DeadlineState;
  /** ready to show: 还剩 3 个工作日, 今日到期, 已逾期 5 天, 立行立改, 长期坚持 · 下次汇报 4月30日前, 已销号（10月9日） */
  countdownLabel: string;
  status: MeasureStatus;
  percent: number;
  completionStandard: string | null;
  latestReport: LatestReport | null;
  /** changes with every change of the measure; buttons carry it */
  version: number;
  pendingExtension: PendingExtension | null;
  /** the evidence section; absent on cards drawn without it (samples) */
  evidence?: MeasureEvidenceView;
  actions: MeasureAction[];
};

/** The card asking which measure a file sent without /佐证 is evidence for. */
export type EvidencePickView = {
  fileName: string;
  kind: 'file' | 'image';
  /** the sender's open measures to choose from (at most the select's limit) */
  options: Array<{ id: number; code: string; text: string }>;
  /** more open measures than options */
  more: number;
  state: { kind: 'pending' } | { kind: 'saving'; code: string } | { kind: 'done'; code: string };
};

export type MeasureListRow = {
  id: number;
  code: string;
  /** the measure text; the card shortens it */
  text: string;
  department: string | null;
  ownerName: string | null;
  countdownLabel: string;
  deadlineState: DeadlineState;
  status: MeasureStatus;
};

/** The list command a list card pages through, echoed back by 上一页 / 下一页. */
export type ListQuery = { command: string; filter?: string };

export type MeasureListView = {
  title: string;
  /** e.g. the campaign name or the filter in words */
  subtitle?: string;
  /** rows of this page only (see paginateList) */
  rows: MeasureListRow[];
  /** 1-based */
  page: number;
  pageCount: number;
  total: number;
  query: ListQuery;
  /** shown when total is 0, e.g. 暂无逾期措施 */
  emptyText?: string;
};

export type StatusCounts = Record<MeasureStatus, number>;

export type DepartmentStatusRow = {
  department: string;
  total: number;
  closed: number;
  submitted: number;
  overdue: number;
  /** 0–100, rounded by the service */
  completionRate: number;
};

export type StatusView = {
  campaignName: string;
  total: number;
  byStatus: StatusCounts;
  /** 0–100, rounded by the service */
  completionRate: number;
  overdue: number;
  /** open measures whose deadline is still to be set (时限待定) */
  unset: number;
  dueSoon: number;
  /** the window dueSoon counts, e.g. 7 */
  dueSoonDays: number;
  departments: DepartmentStatusRow[];
  /** e.g. 截至 2025-03-01 (the service formats its own clock) */
  asOf?: string;
};

export type ImportIssue = { row: number | null; message: string };

export type ImportPreviewView = {
  importId: number;
  fileName: string;
  campaignName: string | null;
  /** the layout recognised, as the secretary reads it (表格 / 编号文本 / 通报体) */
  layout?: string;
  status: 'pending' | 'confirmed' | 'cancelled';
  counts: {
    categories: number;
    problems: number;
    measures: number;
    departments: number;
    /** against the current ledger when re-importing; omitted on a first import */
    created?: number;
    updated?: number;
    unchanged?: number;
    missing?: number;
  };
  /** the first warnings and errors; the totals say how many there are */
  warnings: ImportIssue[];
  errors: ImportIssue[];
  warningCount: number;
  errorCount: number;
  /** false when errors block the import */
  canConfirm: boolean;
};

export type ExtensionRequestView = {
  requestId: number;
  measureId: number;
  measureCode: string;
  measureText: string;
  department: string | null;
  ownerName: string | null;
  requestedBy: string | null;
  oldDate: string | null;
  newDate: string;
  reason: string;
  /** the measure's version when the card was rendered */
  version: number;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  decidedBy?: string | null;
  decisionNote?: string | null;
  /** whether this viewer may approve or reject (decided by the services) */
  canDecide: boolean;
};

export type HistoryEntry =
  | { kind: 'report'; date: string; author: string; text: string; percent: number | null }
  | { kind: 'status'; date: string; actor: string; from: MeasureStatus | null; to: MeasureStatus; note: string | null }
  /** other changes (owner, deadline, extension decisions), described by the service */
  | { kind: 'change'; date: string; actor: string; summary: string };

export type HistoryView = {
  measureId: number;
  code: string;
  text: string;
  /** newest first */
  entries: HistoryEntry[];
  /** how many older entries were left out by the service, if any */
  omitted?: number;
};
