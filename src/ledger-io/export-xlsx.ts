import type ExcelJS from 'exceljs';
import { STATUS_LABELS } from '../domain/labels.js';
import type { LedgerView, MeasureView } from './ledger-view.js';

/**
 * The full 台账 as a workbook, one row per measure. Its headers are ones the importer knows,
 * so an exported file can be edited and imported again.
 */

const COLUMNS: Array<{ header: string; width: number; value: (m: MeasureView, c: string, p: string) => string | number | Date | null }> = [
  { header: '编号', width: 9, value: (m) => m.code },
  { header: '问题类别', width: 28, value: (_m, c) => c },
  { header: '问题', width: 28, value: (_m, _c, p) => p },
  { header: '整改措施', width: 48, value: (m) => m.text },
  { header: '责任领导', width: 12, value: (m) => m.leaderName ?? null },
  { header: '责任部门', width: 14, value: (m) => m.department ?? null },
  { header: '责任人', width: 14, value: (m) => m.ownerName ?? null },
  { header: '联系方式', width: 18, value: (m) => m.ownerContact ?? null },
  { header: '配合部门', width: 14, value: (m) => m.coDepartments ?? null },
  { header: '整改时限', width: 18, value: (m) => m.deadlineText },
  { header: '截止日期', width: 12, value: (m) => m.dueDate ?? null },
  { header: '完成标准', width: 28, value: (m) => m.completionStandard ?? null },
  { header: '状态', width: 9, value: (m) => STATUS_LABELS[m.status] + (m.missingFromSource ? '（来源中缺失）' : '') },
  { header: '完成进度', width: 9, value: (m) => `${m.percent}%` },
  { header: '最新进展', width: 48, value: (m) => m.latestProgress?.text ?? null },
  { header: '进展日期', width: 12, value: (m) => m.latestProgress?.date ?? null },
  { header: '逾期天数', width: 9, value: (m) => (m.daysOverdue > 0 ? m.daysOverdue : null) },
  { header: '销号人', width: 12, value: (m) => m.verifiedBy ?? null },
  { header: '销号时间', width: 18, value: (m) => m.verifiedAt ?? null },
  { header: '佐证材料', width: 36, value: (m) => (m.evidence?.length ? `${m.evidence.length} 份：${m.evidence.join('、')}` : null) },
];

/** Excel refuses to open a file with a longer cell (Excel specifications and limits: 32,767 characters per cell). */
export const EXCEL_CELL_MAX = 32_767;
const TRUNCATED = '……（内容过长，超出 Excel 单元格上限，已截断；全文见系统中的整改记录）';

/** A cell value that Excel will open: long texts (old reports may be longer than any limit now) are cut with a marker. */
export function fitCell<T>(value: T): T | string {
  if (typeof value !== 'string' || value.length <= EXCEL_CELL_MAX) return value;
  let end = EXCEL_CELL_MAX - TRUNCATED.length;
  // Excel counts UTF-16 units; never split a surrogate pair.
  if (/[\ud800-\udbff]/.test(value[end - 1]!)) end--;
  return value.slice(0, end) + TRUNCATED;
}

const OVERDUE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

export async function buildLedgerWorkbook(view: LedgerView): Promise<Uint8Array> {
  // Loaded on first use: the library is large and most processes never write a workbook.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  const ws = wb.addWorksheet('整改台账', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = COLUMNS.map((c) => ({ width: c.width }));
  ws.addRow([`${view.campaign} 整改台账（截至${view.asOf}）`]);
  ws.mergeCells(1, 1, 1, COLUMNS.length);
  ws.getRow(1).font = { bold: true, size: 14 };
  const header = ws.addRow(COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  for (const c of view.categories) {
    for (const p of c.problems) {
      for (const m of p.measures) {
        const row = ws.addRow(COLUMNS.map((col) => fitCell(col.value(m, c.title, p.title))));
        row.alignment = { vertical: 'top', wrapText: true };
        if (m.daysOverdue > 0) row.eachCell({ includeEmpty: true }, (cell) => (cell.fill = OVERDUE_FILL));
      }
    }
  }
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: COLUMNS.length } };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
