import type ExcelJS from 'exceljs';
import { excelDateToIso, explicitYearOf, parseDeadline, type DeadlineContext } from './deadline.js';
import {
  normalizeMeasureCode,
  refusedLedger,
  rowLimitIssue,
  type LedgerFormat,
  type LedgerIssue,
  type ParsedCategory,
  type ParsedDeadline,
  type ParsedLedger,
  type ParsedMeasure,
  type ParsedProblem,
} from './ledger.js';
import type { ParseContext } from './parse-context.js';
import { maxSheetRows } from './xlsx-rows.js';

/**
 * 整改台账 spreadsheets (.xlsx, .csv): find the header row by its names, read one measure per
 * row, carry category and problem down through merged or blank cells, skip spacer and total rows.
 */

export type Cell = string | number | Date | undefined;
export interface GridRow {
  /** the row number the user sees in Excel (or the record number in a CSV) */
  number: number;
  cells: Cell[];
}

type Field =
  | 'code'
  | 'category'
  | 'problem'
  | 'measure'
  | 'leader'
  | 'department'
  | 'owner'
  | 'contact'
  | 'coDepartments'
  | 'deadline'
  | 'standard';

const FIELD_ALIASES: Record<Field, string[]> = {
  code: ['编号', '序号', '措施编号'],
  category: ['问题类别', '类别', '方面', '问题类型'],
  problem: ['问题', '反馈问题', '存在问题', '问题描述'],
  measure: ['整改措施', '整改举措', '措施'],
  leader: ['责任领导', '牵头领导', '分管领导'],
  department: ['责任部门', '牵头部门', '牵头单位', '责任单位'],
  owner: ['责任人', '具体责任人'],
  contact: ['联系方式', '手机', '邮箱', '联系电话', '手机号'],
  coDepartments: ['配合部门', '配合单位'],
  deadline: ['整改时限', '完成时限', '时限'],
  standard: ['完成标准', '整改目标'],
};

const FIELD_NAMES: Record<Field, string> = {
  code: '编号',
  category: '问题类别',
  problem: '问题',
  measure: '整改措施',
  leader: '责任领导',
  department: '责任部门',
  owner: '责任人',
  contact: '联系方式',
  coDepartments: '配合部门',
  deadline: '整改时限',
  standard: '完成标准',
};

const REQUIRED: Field[] = ['problem', 'measure', 'department', 'deadline'];
const HEADER_SEARCH_ROWS = 30;
const TOTAL_ROW = /^(合计|小计|总计)/;

const ALIAS_TO_FIELD = new Map<string, Field>(
  (Object.entries(FIELD_ALIASES) as Array<[Field, string[]]>).flatMap(([f, names]) => names.map((n) => [n, f] as const)),
);

function headerKey(cell: Cell): string {
  return cellText(cell)
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[*]/g, '')
    .replace(/\([^)]*\)$/, '');
}

function cellText(cell: Cell): string {
  if (cell === undefined) return '';
  if (cell instanceof Date) return excelDateToIso(cell);
  return String(cell).replace(/\r\n?/g, '\n').trim();
}

/** Column letters as Excel shows them (0 -> A, 26 -> AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function findHeader(rows: GridRow[]): { index: number; columns: Map<Field, number[]> } | undefined {
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const columns = new Map<Field, number[]>();
    rows[i]!.cells.forEach((cell, col) => {
      const field = ALIAS_TO_FIELD.get(headerKey(cell));
      if (field) columns.set(field, [...(columns.get(field) ?? []), col]);
    });
    if (columns.size >= 3 && (columns.has('measure') || columns.has('problem'))) return { index: i, columns };
  }
  return undefined;
}

/** Excel stores dates as days since 1899-12-30; numbers in this range in a deadline cell are dates. */
function serialToIso(n: number): string | undefined {
  if (!Number.isFinite(n) || n < 36526 || n > 73050) return undefined; // 2000..2099
  return excelDateToIso(new Date(Date.UTC(1899, 11, 30) + Math.round(n) * 86_400_000));
}

/** The deadline year context for the rows to come: the last year a deadline stated, else the campaign's. */
function deadlineContext(lastYear: number | undefined, ctx: ParseContext): DeadlineContext {
  return lastYear !== undefined ? { year: lastYear } : { year: Number(ctx.referenceDate.slice(0, 4)), notBefore: ctx.referenceDate };
}

interface RowDraft {
  row: number;
  category: string;
  problem: string;
  measure: ParsedMeasure;
  givenCode?: string;
}

/** Reads the rows of one sheet (already turned into cells) into a ParsedLedger. */
export function parseSpreadsheetRows(rows: GridRow[], meta: { fileName: string; format: LedgerFormat }, ctx: ParseContext): ParsedLedger {
  const warnings: LedgerIssue[] = [];
  const errors: LedgerIssue[] = [];
  const ledger: ParsedLedger = { format: meta.format, fileName: meta.fileName, categories: [], warnings, errors };
  const header = findHeader(rows);
  if (!header) {
    errors.push({ message: `没有找到表头行：前${HEADER_SEARCH_ROWS}行中没有“问题”“整改措施”“责任部门”“整改时限”等列名` });
    return ledger;
  }
  const headerRow = rows[header.index]!.number;
  for (const f of REQUIRED) {
    if (!header.columns.has(f)) {
      errors.push({
        ref: { kind: 'row', index: headerRow },
        message: `缺少必需的列“${FIELD_NAMES[f]}”（可用的列名：${FIELD_ALIASES[f].join('、')}）`,
      });
    }
  }
  if (errors.length) return ledger;

  const col = (f: Field) => header.columns.get(f)?.[0];
  const get = (r: GridRow, f: Field): string => {
    for (const c of header.columns.get(f) ?? []) {
      const t = cellText(r.cells[c]);
      if (t) return t;
    }
    return '';
  };
  const cellRef = (r: GridRow, f: Field) => `${columnLetter(col(f)!)}${r.number}`;

  const body = rows.slice(header.index + 1);
  // Plain sequence numbers (序号 1, 2, 3) are not measure codes: derive codes from the order then.
  const codeColumn = col('code');
  const useGivenCodes =
    codeColumn !== undefined && body.some((r) => /[.、\-．]/.test(cellText(r.cells[codeColumn]).normalize('NFKC')));

  const drafts: RowDraft[] = [];
  let category = '';
  let problem = '';
  let lastYear: number | undefined;
  for (const r of body) {
    const texts = r.cells.map(cellText);
    if (texts.every((t) => t === '')) continue;
    if (texts.some((t) => TOTAL_ROW.test(t.replace(/\s+/g, '')))) continue;

    const categoryCell = get(r, 'category');
    if (categoryCell && categoryCell !== category) {
      category = categoryCell;
      problem = '';
    }
    const problemCell = get(r, 'problem');
    if (problemCell) problem = problemCell;
    const measureText = get(r, 'measure');
    if (!measureText) {
      const filled = header.columns.has('category') ? texts.filter((t, i) => t && i !== col('category') && i !== col('problem')) : texts.filter(Boolean);
      if (filled.length > 0) warnings.push({ ref: { kind: 'row', index: r.number }, message: `没有整改措施，已跳过（内容：${filled.join(' ').slice(0, 40)}）` });
      continue;
    }
    if (!problem) {
      errors.push({ ref: { kind: 'row', index: r.number, cell: cellRef(r, 'problem') }, message: '缺少“问题”，上方也没有可沿用的问题' });
      continue;
    }

    let deadline: ParsedDeadline | undefined;
    const deadlineCell = r.cells[col('deadline')!];
    const serial = typeof deadlineCell === 'number' ? serialToIso(deadlineCell) : undefined;
    if (deadlineCell instanceof Date || serial) {
      const iso = serial ?? excelDateToIso(deadlineCell as Date);
      deadline = { kind: 'dated', dueDate: iso, text: iso };
      lastYear = Number(iso.slice(0, 4));
    } else {
      const written = get(r, 'deadline');
      const parsed = parseDeadline(written, deadlineContext(lastYear, ctx));
      if (parsed.ok) {
        deadline = parsed.deadline;
        lastYear = explicitYearOf(written) ?? lastYear;
      } else {
        errors.push({ ref: { kind: 'row', index: r.number, cell: cellRef(r, 'deadline') }, message: parsed.error });
      }
    }

    let givenCode: string | undefined;
    if (useGivenCodes) {
      const raw = get(r, 'code');
      givenCode = normalizeMeasureCode(raw);
      if (!givenCode) {
        errors.push({
          ref: { kind: 'row', index: r.number, cell: cellRef(r, 'code') },
          message: raw ? `编号“${raw}”不是有效的措施编号（应为数字和点，如 2.1.3）` : '缺少编号',
        });
      }
    }
    const department = get(r, 'department');
    if (!department) warnings.push({ ref: { kind: 'row', index: r.number, cell: cellRef(r, 'department') }, message: '责任部门为空' });
    const optional = (f: Field) => get(r, f) || undefined;
    drafts.push({
      row: r.number,
      category: category || '整改问题',
      problem,
      givenCode,
      measure: {
        code: givenCode ?? '',
        text: measureText,
        leaderName: optional('leader'),
        department: department || undefined,
        coDepartments: optional('coDepartments'),
        ownerName: optional('owner'),
        ownerContact: optional('contact'),
        deadline: deadline ?? { kind: 'ongoing', text: get(r, 'deadline') },
        completionStandard: optional('standard'),
        ref: { kind: 'row', index: r.number },
      },
    });
  }
  ledger.categories = groupDrafts(drafts, useGivenCodes, errors);
  errors.sort((a, b) => (a.ref?.index ?? 0) - (b.ref?.index ?? 0));
  if (drafts.length === 0 && errors.length === 0) errors.push({ message: '表头下面没有任何整改措施' });
  return ledger;
}

/** Groups rows into categories and problems in order of appearance; derives or checks codes. */
function groupDrafts(drafts: RowDraft[], useGivenCodes: boolean, errors: LedgerIssue[]): ParsedCategory[] {
  const categories: ParsedCategory[] = [];
  const byCategory = new Map<string, { category: ParsedCategory; problems: Map<string, ParsedProblem> }>();
  const seen = new Map<string, number>();
  for (const d of drafts) {
    let c = byCategory.get(d.category);
    if (!c) {
      c = { category: { ordinal: categories.length + 1, title: d.category, problems: [] }, problems: new Map() };
      categories.push(c.category);
      byCategory.set(d.category, c);
    }
    let p = c.problems.get(d.problem);
    if (!p) {
      p = { ordinal: c.category.problems.length + 1, title: d.problem, measures: [] };
      c.category.problems.push(p);
      c.problems.set(d.problem, p);
    }
    const code = useGivenCodes ? d.givenCode : `${c.category.ordinal}.${p.ordinal}.${p.measures.length + 1}`;
    if (!code) continue;
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      errors.push({ ref: { kind: 'row', index: d.row }, message: `编号 ${code} 与第${earlier}行重复` });
      continue;
    }
    seen.set(code, d.row);
    p.measures.push({ ...d.measure, code });
  }
  return categories;
}

/** exceljs cell values (rich text, formulas, hyperlinks) reduced to what a ledger needs. */
function excelCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return excelCell((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value) return excelCell((value as { text: ExcelJS.CellValue }).text);
    if ('error' in value) return undefined;
  }
  return String(value);
}

export async function readXlsxGrids(bytes: Uint8Array): Promise<Array<{ sheet: string; rows: GridRow[] }>> {
  // Loaded on first use: the library is large and most processes never read a workbook.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: GridRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: true }, (cell, colNumber) => {
        // A merged cell reads as its master: the value "same as above" (or across) is filled in.
        const source = cell.isMerged && cell.master ? cell.master : cell;
        cells[colNumber - 1] = excelCell(source.value);
      });
      rows.push({ number, cells });
    });
    return { sheet: ws.name, rows };
  });
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 as Chinese Excel saves CSV. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * Rows with content a sheet may have before reading stops: the header may sit anywhere in
 * the first HEADER_SEARCH_ROWS, so only more rows than this certainly mean more measures than
 * `maxRows` (the exact count is checked once the file is parsed).
 */
export function rowReadingCap(maxRows: number): number {
  return maxRows + HEADER_SEARCH_ROWS;
}

/**
 * RFC 4180 CSV (quotes, doubled quotes, line breaks inside quotes); tab-separated also works.
 * Stops after `maxRows` rows with content (the result then has one row more than that).
 */
export function parseCsv(text: string, maxRows = Number.POSITIVE_INFINITY): GridRow[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  const rows: GridRow[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let filled = 0;
  const endRow = () => {
    row.push(field);
    if (row.some((f) => f !== '')) filled += 1;
    rows.push({ number: rowLine, cells: row.map((f) => (f === '' ? undefined : f)) });
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length && filled <= maxRows; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += ch;
  }
  if ((field !== '' || row.length > 0) && filled <= maxRows) endRow();
  return rows;
}

export async function parseXlsx(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  if (ctx.maxRows !== undefined && ((await maxSheetRows(bytes, rowReadingCap(ctx.maxRows))) ?? 0) > rowReadingCap(ctx.maxRows)) {
    return refusedLedger('xlsx', fileName, rowLimitIssue(ctx.maxRows));
  }
  let grids;
  try {
    grids = await readXlsxGrids(bytes);
  } catch {
    return { format: 'xlsx', fileName, categories: [], warnings: [], errors: [{ message: '无法读取这个 Excel 文件，请确认是 .xlsx 格式（旧版 .xls 请先另存为 .xlsx）' }] };
  }
  // The first sheet that has a ledger header; else report on the first sheet.
  const withHeader = grids.find((g) => findHeader(g.rows)) ?? grids[0];
  if (!withHeader) return { format: 'xlsx', fileName, categories: [], warnings: [], errors: [{ message: '这个 Excel 文件没有工作表' }] };
  const ledger = parseSpreadsheetRows(withHeader.rows, { fileName, format: 'xlsx' }, ctx);
  if (grids.length > 1) ledger.warnings.push({ message: `文件有${grids.length}个工作表，只读取了“${withHeader.sheet}”` });
  return ledger;
}

export function parseCsvLedger(fileName: string, bytes: Uint8Array, ctx: ParseContext): ParsedLedger {
  const cap = ctx.maxRows === undefined ? undefined : rowReadingCap(ctx.maxRows);
  const rows = parseCsv(decodeText(bytes), cap);
  if (cap !== undefined && rows.filter((r) => r.cells.some((c) => c !== undefined)).length > cap) {
    return refusedLedger('csv', fileName, rowLimitIssue(ctx.maxRows!));
  }
  return parseSpreadsheetRows(rows, { fileName, format: 'csv' }, ctx);
}
