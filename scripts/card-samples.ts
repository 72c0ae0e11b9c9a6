/**
 * Sample views for every card type in every state, taken from the synthetic Hulin
 * ledger (shared/samples). Used by `npm run cards` and by the card snapshot tests.
 * Pure data: no clock, no I/O.
 */
import type { MeasureFormKind } from '../cards/actions.js';
import type { Card } from '../cards/elements.js';
import { extensionRequestCard } from '../cards/extension-request.card.js';
import { evidencePickCard } from '../cards/evidence-pick.card.js';
import { historyCard } from '../cards/history.card.js';
import { importPreviewCard } from '../cards/import-preview.card.js';
import { measureListCard, paginateList } from '../cards/measure-list.card.js';
import { measureCard } from '../cards/measure.card.js';
import { recheckCard, type RecheckView } from '../cards/recheck.card.js';
import { reminderDigestCard, type ReminderDigestRow } from '../cards/reminder-digest.card.js';
import { statusCard } from '../cards/status.card.js';
import { weeklySummaryCard, type WeeklySummaryRow, type WeeklySummaryView } from '../cards/weekly-summary.card.js';
import { MEASURE_STATUSES } from '../src/domain/enums.js';
import {
  DEADLINE_STATES,
  type DeadlineState,
  type EvidenceItemView,
  type EvidencePickView,
  type MeasureEvidenceView,
  type ExtensionRequestView,
  type HistoryView,
  type ImportPreviewView,
  type MeasureAction,
  type MeasureListRow,
  type MeasureListView,
  type MeasureStatus,
  type MeasureView,
  type StatusView,
} from '../cards/views.js';

export type CardSample = { type: string; state: string; card: Card | Record<string, unknown> };

const CATEGORY = '贯彻落实党的路线方针政策、党中央重大决策部署及省市委要求不到位，推动工会工作高质量发展不够有力方面';

export const OWNER_ACTIONS: MeasureAction[] = ['report', 'submit', 'extend', 'history'];
export const SECRETARY_ACTIONS: MeasureAction[] = ['report', 'extend', 'history', 'verify', 'return'];
export const LEADER_ACTIONS: MeasureAction[] = ['verify', 'return', 'history'];
export const VIEWER_ACTIONS: MeasureAction[] = ['history'];

export function sampleMeasure(overrides: Partial<MeasureView> = {}): MeasureView {
  return {
    id: 7,
    code: '1.2.4',
    campaignName: '市委第二巡察组反馈问题整改',
    categoryTitle: CATEGORY,
    problemTitle: '推动工会标准化建设发展不够有力',
    text: '建立换届提醒机制，制定《基层工会主席补选工作指南》，规范主席补选流程',
    leadDepartment: '组织部',
    coDepartments: ['法律服务中心'],
    leaderName: '分管副主席',
    ownerName: '组织部部长',
    deadlineText: '2025年3月底前',
    dueDate: '2025-03-31',
    extendedFrom: null,
    deadlineState: 'on_track',
    countdownLabel: '还剩 12 个工作日',
    status: 'in_progress',
    percent: 40,
    completionStandard: '到期基层工会按期换届、补选',
    latestReport: {
      excerpt: '已起草《基层工会主席补选工作指南》初稿，正在征求各基层工会意见。',
      author: '组织部部长',
      date: '2025-03-10',
    },
    version: 5,
    pendingExtension: null,
    actions: OWNER_ACTIONS,
    ...overrides,
  };
}

const STATE_OVERRIDES: Record<DeadlineState, Partial<MeasureView>> = {
  on_track: {},
  due_soon: { countdownLabel: '还剩 3 个工作日' },
  due_today: { countdownLabel: '今日到期' },
  overdue: { countdownLabel: '已逾期 5 天', percent: 60 },
  immediate: {
    code: '1.1.1',
    text: '建立健全“第一议题”制度，每次党组会严格落实“第一议题”制度，传达学习总书记最新重要讲话精神',
    deadlineText: '立行立改',
    dueDate: null,
    countdownLabel: '立行立改',
  },
  ongoing: {
    code: '1.1.2',
    text: '贯彻落实《总工会党组理论学习中心组学习工作制度》，开展集体学习研讨并作会议记录',
    deadlineText: '长期坚持',
    dueDate: null,
    countdownLabel: '长期坚持 · 下次汇报 4月30日前',
  },
  submitted: { status: 'submitted', percent: 100, countdownLabel: '已申请销号', actions: VIEWER_ACTIONS },
  closed: { status: 'closed', percent: 100, countdownLabel: '已销号（3月28日）', actions: VIEWER_ACTIONS },
  returned: { status: 'returned', percent: 80, countdownLabel: '已退回 · 还剩 3 个工作日' },
};

const STATUS_STATES: Record<MeasureStatus, DeadlineState> = {
  not_started: 'on_track',
  in_progress: 'on_track',
  submitted: 'submitted',
  closed: 'closed',
  returned: 'returned',
};

function measureSamples(): CardSample[] {
  const out: CardSample[] = [];
  for (const state of DEADLINE_STATES) {
    out.push({ type: 'measure', state: `state-${state}`, card: measureCard(sampleMeasure({ deadlineState: state, ...STATE_OVERRIDES[state] })) });
  }
  for (const status of MEASURE_STATUSES) {
    const state = STATUS_STATES[status];
    const view = sampleMeasure({
      ...STATE_OVERRIDES[state],
      deadlineState: state,
      status,
      percent: status === 'not_started' ? 0 : (STATE_OVERRIDES[state].percent ?? 40),
      latestReport: status === 'not_started' ? null : sampleMeasure().latestReport,
    });
    out.push({ type: 'measure', state: `status-${status}`, card: measureCard(view) });
  }
  const roles: Array<[string, MeasureAction[], Partial<MeasureView>]> = [
    ['owner', OWNER_ACTIONS, {}],
    ['secretary', SECRETARY_ACTIONS, { status: 'submitted', deadlineState: 'submitted', countdownLabel: '已申请销号', percent: 100 }],
    ['leader-submitted', LEADER_ACTIONS, { status: 'submitted', deadlineState: 'submitted', countdownLabel: '已申请销号', percent: 100 }],
    ['viewer', VIEWER_ACTIONS, {}],
    ['no-actions', [], {}],
  ];
  for (const [role, actions, overrides] of roles) {
    out.push({ type: 'measure', state: `role-${role}`, card: measureCard(sampleMeasure({ ...overrides, actions })) });
  }
  const forms: Array<[MeasureFormKind, MeasureAction[]]> = [
    ['report', OWNER_ACTIONS],
    ['submit', OWNER_ACTIONS],
    ['extend', OWNER_ACTIONS],
    ['return', LEADER_ACTIONS],
  ];
  for (const [kind, actions] of forms) {
    const base = kind === 'return' ? { status: 'submitted' as const, deadlineState: 'submitted' as const, countdownLabel: '已申请销号' } : {};
    out.push({ type: 'measure', state: `form-${kind}`, card: measureCard(sampleMeasure({ ...base, actions, percent: 35 }), { openForm: kind }) });
  }
  out.push({
    type: 'measure',
    state: 'extended',
    card: measureCard(sampleMeasure({ dueDate: '2025-06-30', extendedFrom: '2025-03-31', countdownLabel: '还剩 45 个工作日' })),
  });
  out.push({
    type: 'measure',
    state: 'pending-extension',
    card: measureCard(sampleMeasure({ pendingExtension: { newDate: '2025-06-30', reason: '补选需待基层工会会员大会召开后进行。' } })),
  });
  out.push({
    type: 'measure',
    state: 'long-text',
    card: measureCard(
      sampleMeasure({
        text: '加强工会法人登记管理，'.repeat(40),
        latestReport: { excerpt: '本周完成了以下工作：\n1. 梳理台账；\n2. 召开推进会。'.repeat(30), author: '组织部部长', date: '2025-03-10' },
        coDepartments: ['法律服务中心', '办公室', '财务部'],
      }),
      { openForm: 'report' },
    ),
  });
  out.push({
    type: 'measure',
    state: 'evidence',
    card: measureCard(sampleMeasure({ actions: [...OWNER_ACTIONS, 'evidence_upload', 'evidence_files'], evidence: sampleEvidence(7) })),
  });
  out.push({
    type: 'measure',
    state: 'evidence-none',
    card: measureCard(sampleMeasure({ actions: [...OWNER_ACTIONS, 'evidence_upload'], evidence: { items: [], total: 0, waived: null, required: true } })),
  });
  out.push({
    type: 'measure',
    state: 'evidence-waived',
    card: measureCard(
      sampleMeasure({
        actions: LEADER_ACTIONS,
        evidence: { items: [], total: 0, waived: { by: '整改办', reason: '制度已于2024年印发，本次仅需执行' }, required: true },
      }),
    ),
  });
  const pick: EvidencePickView = {
    fileName: '党组会会议纪要（2025年第3次）.pdf',
    kind: 'file',
    options: sampleListRows(60).map((r) => ({ id: r.id, code: r.code, text: r.text })),
    more: 10,
    state: { kind: 'pending' },
  };
  out.push({ type: 'evidence-pick', state: 'pending', card: evidencePickCard(pick) });
  out.push({ type: 'evidence-pick', state: 'done', card: evidencePickCard({ ...pick, options: [], more: 0, state: { kind: 'done', code: '1.2.4' } }) });
  return out;
}

/** Evidence of a measure: files, an image and a link, more than the card names. */
export function sampleEvidence(total: number): MeasureEvidenceView {
  const items: EvidenceItemView[] = [
    { kind: 'file', name: '党组会会议纪要（2025年第3次）.pdf', size: '1.2 MB', by: '组织部部长', date: '2025-03-10' },
    { kind: 'image', name: '图片-2025-03-11-101500.jpg', size: '856.0 KB', by: '组织部部长', date: '2025-03-11' },
    {
      kind: 'link',
      name: 'https://www.example.gov.cn/zcwj/2025/0312/guide_(final).html',
      size: null,
      by: '办公室',
      date: '2025-03-12',
      url: 'https://www.example.gov.cn/zcwj/2025/0312/guide_(final).html',
    },
    { kind: 'file', name: '基层工会主席补选工作指南.docx', size: '64.5 KB', by: '组织部部长', date: '2025-03-12' },
  ];
  return { items: Array.from({ length: total }, (_, i) => items[i % items.length]!), total, waived: null, required: true };
}

const DEPARTMENTS = ['办公室', '组织部', '宣教部', '保障部', '经审办', '财务部', '法律服务中心'];
const ROW_STATES: DeadlineState[] = ['overdue', 'due_today', 'due_soon', 'on_track', 'immediate', 'ongoing', 'submitted', 'returned'];
const ROW_LABELS: Record<string, string> = {
  overdue: '已逾期 5 天',
  due_today: '今日到期',
  due_soon: '还剩 3 个工作日',
  on_track: '还剩 20 个工作日',
  immediate: '立行立改',
  ongoing: '长期坚持 · 下次汇报 4月30日前',
  submitted: '已申请销号',
  returned: '已退回 · 还剩 2 个工作日',
};

export function sampleListRows(count: number): MeasureListRow[] {
  return Array.from({ length: count }, (_, i) => {
    const state = ROW_STATES[i % ROW_STATES.length]!;
    const status: MeasureStatus = state === 'submitted' ? 'submitted' : state === 'returned' ? 'returned' : i % 3 === 0 ? 'not_started' : 'in_progress';
    return {
      id: 1000 + i,
      code: `${1 + Math.floor(i / 100)}.${1 + (Math.floor(i / 10) % 10)}.${1 + (i % 10)}`,
      text: '制定《党员干部理论学习教育方案》和学习计划，通过中心组学习贯彻党的二十届三中全会精神',
      department: DEPARTMENTS[i % DEPARTMENTS.length]!,
      ownerName: `${DEPARTMENTS[i % DEPARTMENTS.length]}负责人`,
      countdownLabel: ROW_LABELS[state]!,
      deadlineState: state,
      status,
    };
  });
}

export function sampleListView(allRows: MeasureListRow[], page: number, overrides: Partial<MeasureListView> = {}): MeasureListView {
  return {
    title: '逾期措施',
    subtitle: '市委第二巡察组反馈问题整改',
    query: { command: 'overdue' },
    ...paginateList(allRows, page),
    ...overrides,
  };
}

function listSamples(): CardSample[] {
  const few = sampleListRows(6);
  const many = sampleListRows(37);
  const huge = sampleListRows(500);
  return [
    { type: 'measure-list', state: 'empty', card: measureListCard(sampleListView([], 1, { emptyText: '暂无逾期措施' })) },
    { type: 'measure-list', state: 'one-page', card: measureListCard(sampleListView(few, 1, { title: '我的整改措施', query: { command: 'mine' } })) },
    { type: 'measure-list', state: 'many-first', card: measureListCard(sampleListView(many, 1)) },
    { type: 'measure-list', state: 'many-middle', card: measureListCard(sampleListView(many, 2)) },
    { type: 'measure-list', state: 'many-last', card: measureListCard(sampleListView(many, 4)) },
    {
      type: 'measure-list',
      state: 'huge-ledger-first',
      card: measureListCard(sampleListView(huge, 1, { title: '组织部的整改措施', query: { command: 'status', filter: '组织部' } })),
    },
    {
      type: 'measure-list',
      state: 'huge-ledger-last',
      card: measureListCard(sampleListView(huge, 50, { title: '7 日内到期', query: { command: 'due', filter: '7' } })),
    },
  ];
}

export function sampleStatus(overrides: Partial<StatusView> = {}): StatusView {
  return {
    campaignName: '市委第二巡察组反馈问题整改',
    total: 48,
    byStatus: { not_started: 6, in_progress: 20, submitted: 4, closed: 15, returned: 3 },
    completionRate: 31,
    overdue: 5,
    unset: 0,
    dueSoon: 7,
    dueSoonDays: 7,
    departments: DEPARTMENTS.map((department, i) => ({
      department,
      total: 5 + i,
      closed: i,
      submitted: i % 2,
      overdue: i % 3,
      completionRate: Math.round((i / (5 + i)) * 100),
    })),
    asOf: '截至 2025-03-12',
    ...overrides,
  };
}

function statusSamples(): CardSample[] {
  const manyDepartments = Array.from({ length: 150 }, (_, i) => ({
    department: `基层工会${i + 1}`,
    total: 10,
    closed: i % 10,
    submitted: 0,
    overdue: i % 4,
    completionRate: (i % 10) * 10,
  }));
  return [
    { type: 'status', state: 'normal', card: statusCard(sampleStatus()) },
    {
      type: 'status',
      state: 'all-closed',
      card: statusCard(
        sampleStatus({
          byStatus: { not_started: 0, in_progress: 0, submitted: 0, closed: 48, returned: 0 },
          completionRate: 100,
          overdue: 0,
          dueSoon: 0,
        }),
      ),
    },
    {
      type: 'status',
      state: 'empty',
      card: statusCard(
        sampleStatus({
          total: 0,
          byStatus: { not_started: 0, in_progress: 0, submitted: 0, closed: 0, returned: 0 },
          completionRate: 0,
          overdue: 0,
          dueSoon: 0,
          departments: [],
        }),
      ),
    },
    { type: 'status', state: 'many-departments', card: statusCard(sampleStatus({ departments: manyDepartments })) },
  ];
}

export function sampleImport(overrides: Partial<ImportPreviewView> = {}): ImportPreviewView {
  return {
    importId: 3,
    fileName: 'hulin-union-ledger.xlsx',
    campaignName: '市委第二巡察组反馈问题整改',
    status: 'pending',
    counts: { categories: 5, problems: 16, measures: 48, departments: 7 },
    warnings: [{ row: 12, message: '配合部门为空' }],
    errors: [],
    warningCount: 1,
    errorCount: 0,
    canConfirm: true,
    ...overrides,
  };
}

function importSamples(): CardSample[] {
  const manyWarnings = Array.from({ length: 40 }, (_, i) => ({ row: i + 3, message: '整改时限无法识别为日期，按“长期坚持”处理' }));
  return [
    { type: 'import-preview', state: 'ready', card: importPreviewCard(sampleImport()) },
    {
      type: 'import-preview',
      state: 'reimport',
      card: importPreviewCard(
        sampleImport({ counts: { categories: 5, problems: 16, measures: 48, departments: 7, created: 2, updated: 5, unchanged: 41, missing: 1 } }),
      ),
    },
    {
      type: 'import-preview',
      state: 'errors',
      card: importPreviewCard(
        sampleImport({
          errors: [
            { row: 7, message: '缺少“整改措施”' },
            { row: null, message: '表头缺少“编号”列' },
          ],
          errorCount: 2,
          canConfirm: false,
        }),
      ),
    },
    { type: 'import-preview', state: 'many-warnings', card: importPreviewCard(sampleImport({ warnings: manyWarnings, warningCount: 40 })) },
    { type: 'import-preview', state: 'confirmed', card: importPreviewCard(sampleImport({ status: 'confirmed' })) },
    { type: 'import-preview', state: 'cancelled', card: importPreviewCard(sampleImport({ status: 'cancelled' })) },
  ];
}

export function sampleExtension(overrides: Partial<ExtensionRequestView> = {}): ExtensionRequestView {
  return {
    requestId: 11,
    measureId: 7,
    measureCode: '1.2.4',
    measureText: '建立换届提醒机制，制定《基层工会主席补选工作指南》，规范主席补选流程',
    department: '组织部',
    ownerName: '组织部部长',
    requestedBy: '组织部部长',
    oldDate: '2025-03-31',
    newDate: '2025-06-30',
    reason: '补选需待基层工会会员大会召开后进行，预计5月完成。',
    version: 5,
    status: 'pending',
    canDecide: true,
    ...overrides,
  };
}

function extensionSamples(): CardSample[] {
  return [
    { type: 'extension-request', state: 'pending', card: extensionRequestCard(sampleExtension()) },
    { type: 'extension-request', state: 'pending-viewer', card: extensionRequestCard(sampleExtension({ canDecide: false })) },
    { type: 'extension-request', state: 'approved', card: extensionRequestCard(sampleExtension({ status: 'approved', decidedBy: '整改办' })) },
    {
      type: 'extension-request',
      state: 'rejected',
      card: extensionRequestCard(sampleExtension({ status: 'rejected', decidedBy: '整改办', decisionNote: '请按原计划推进，3月底前完成。' })),
    },
    { type: 'extension-request', state: 'withdrawn', card: extensionRequestCard(sampleExtension({ status: 'withdrawn' })) },
  ];
}

export function sampleRecheck(overrides: Partial<RecheckView> = {}): RecheckView {
  return {
    recheckId: 3,
    measureId: 7,
    code: '1.2.4',
    measureText: '建立换届提醒机制，制定《基层工会主席补选工作指南》，规范主席补选流程',
    department: '组织部',
    ownerName: '组织部部长',
    months: 6,
    closedOnLabel: '2025年4月5日',
    verifierName: '张书记',
    answer: null,
    reasonMax: 500,
    ...overrides,
  };
}

function recheckSamples(): CardSample[] {
  return [
    { type: 'recheck', state: 'due', card: recheckCard(sampleRecheck()) },
    { type: 'recheck', state: 'held', card: recheckCard(sampleRecheck({ answer: { outcome: 'held', by: '组织部部长', onLabel: '10月9日', reason: null } })) },
    {
      type: 'recheck',
      state: 'rebounded',
      card: recheckCard(sampleRecheck({ answer: { outcome: 'rebounded', by: '张书记', onLabel: '10月9日', reason: '9月又有两个基层工会未按期换届。' } })),
    },
  ];
}

export function sampleHistory(count: number): HistoryView {
  const entries: HistoryView['entries'] = Array.from({ length: count }, (_, i) => {
    const date = `2025-03-${String(28 - (i % 28)).padStart(2, '0')}`;
    if (i % 3 === 0) return { kind: 'report', date, author: '组织部部长', text: '已起草补选工作指南，正在征求意见。', percent: 40 };
    if (i % 3 === 1) return { kind: 'status', date, actor: '整改办', from: 'submitted', to: 'returned', note: '佐证材料不全' };
    return { kind: 'change', date, actor: '整改办', summary: '截止日期由 2025-03-31 改为 2025-06-30（延期已同意）' };
  });
  return { measureId: 7, code: '1.2.4', text: sampleMeasure().text, entries };
}

function historySamples(): CardSample[] {
  return [
    { type: 'history', state: 'empty', card: historyCard(sampleHistory(0)) },
    { type: 'history', state: 'few', card: historyCard(sampleHistory(4)) },
    { type: 'history', state: 'long', card: historyCard({ ...sampleHistory(120), omitted: 10 }) },
  ];
}

function summaryRow(i: number): WeeklySummaryRow {
  return {
    code: `${(i % 3) + 1}.${(i % 4) + 1}.${i}`,
    text: `第${i}项措施：建立健全基层工会换届提醒机制，规范补选流程`,
    department: DEPARTMENTS[i % DEPARTMENTS.length]!,
    ownerName: `${DEPARTMENTS[i % DEPARTMENTS.length]}负责人`,
    ownerOpenId: `ou_sample${String(i).padStart(4, '0')}`,
    countdown: i % 2 ? `已逾期 ${i} 天` : `还剩 ${i} 个工作日`,
    daysOverdue: i,
    dueLabel: `10月${(i % 28) + 1}日`,
  };
}

export function sampleWeeklySummary(rows: number, overrides: Partial<WeeklySummaryView> = {}): WeeklySummaryView {
  const list = Array.from({ length: rows }, (_, i) => summaryRow(i + 1));
  return {
    campaignName: '市委第二巡察组反馈问题整改',
    weekLabel: '2025年第42周',
    windowLabel: '10月6日—10月12日',
    asOfLabel: '10月13日',
    total: 47,
    closed: 20,
    submitted: 5,
    inProgress: 22,
    overdueCount: Math.min(rows, 4),
    unsetCount: 2,
    completionRate: 20 / 47,
    previousRate: 0.38,
    closedThisWeek: list.slice(0, 3),
    submittedList: list.slice(0, 2),
    newlyOverdue: list.slice(0, 1),
    overdue: list.slice(0, 4),
    dueNextWeek: list,
    departments: DEPARTMENTS.map((department, i) => ({
      department,
      total: 8,
      closed: 3 + (i % 3),
      submitted: 1,
      inProgress: 3 - (i % 3),
      overdue: i % 2,
      rate: (3 + (i % 3)) / 8,
    })),
    trend: Array.from({ length: 6 }, (_, i) => ({ label: `第${37 + i}周`, rate: 0.2 + i * 0.04 })),
    mentionOwners: false,
    ...overrides,
  };
}

function summarySamples(): CardSample[] {
  return [
    { type: 'weekly-summary', state: 'typical', card: weeklySummaryCard(sampleWeeklySummary(6)) },
    { type: 'weekly-summary', state: 'mentions', card: weeklySummaryCard(sampleWeeklySummary(6, { mentionOwners: true })) },
    { type: 'weekly-summary', state: 'large', card: weeklySummaryCard(sampleWeeklySummary(400)) },
  ];
}

function digestRow(i: number): ReminderDigestRow {
  const { code, text, department, ownerName, countdown } = summaryRow(i);
  return { code, text, department, ownerName, countdown };
}

function digestSamples(): CardSample[] {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => digestRow(i + 1));
  return [
    {
      type: 'reminder-digest',
      state: 'owner',
      card: reminderDigestCard({
        dateLabel: '10月9日',
        recipientName: '王芳',
        dueToday: rows(1),
        overdue: rows(2),
        dueSoon: rows(3),
        checkins: rows(1),
        escalations: [],
      }),
    },
    {
      type: 'reminder-digest',
      state: 'secretary-large',
      card: reminderDigestCard({
        dateLabel: '10月9日',
        recipientName: '整改办李明',
        dueToday: rows(60),
        overdue: rows(300),
        dueSoon: rows(80),
        checkins: rows(20),
        escalations: rows(150),
      }),
    },
  ];
}

export function cardSamples(): CardSample[] {
  return [
    ...measureSamples(),
    ...listSamples(),
    ...statusSamples(),
    ...importSamples(),
    ...extensionSamples(),
    ...recheckSamples(),
    ...historySamples(),
    ...summarySamples(),
    ...digestSamples(),
  ];
}
