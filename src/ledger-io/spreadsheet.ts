import type ExcelJS from 'exceljs';
import { normalizeMeasureCode } from '../domain/measure-code.js';
import {
  excelDateToIso,
  explicitYearOf,
  isNoDeadlineStated,
  NO_DEADLINE_STATED,
  parseDeadline,
  unsetDeadlineWarning,
  type DeadlineContext,
} from './deadline.js';
import {
  describeRef,
  refusedLedger,
  rowLimitIssue,
  type LedgerFormat,
  type LedgerIssue,
  type ParsedCategory,
  type ParsedDeadline,
  type ParsedLedger,
  type ParsedMeasure,
  type ParsedProblem,
  type SourceRef,
} from './ledger.js';
import type { ParseContext } from './parse-context.js';
import { maxSheetRows } from './xlsx-rows.js';

/**
 * 整改台账 grids (spreadsheets, and tables in Word documents): find the header row by its names,
 * read one measure per row, carry category and problem down through merged or blank cells, skip
 * spacer, total and repeated header rows. The one home of the column logic for every format.
 */

export type Cell = string | number | Date | undefined;
export interface GridRow {
  /** the row number the user sees in Excel (or the record number in a CSV, or the row of a Word table) */
  number: number;
  cells: Cell[];
}

/**
 * One grid with its own header row: a sheet, or one table of a Word document. `category` is
 * the category named outside the grid (the heading paragraph before a Word table), used when the
 * grid has no category column; `table` numbers Word tables for messages.
 */
export interface GridBlock {
  rows: GridRow[];
  category?: string;
  table?: number;
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
  | 'standard'
  | 'progress';

const FIELD_ALIASES: Record<Field, string[]> = {
  code: ['编号', '序号', '措施编号'],
  category: ['问题类别', '类别', '方面', '问题类型'],
  problem: ['问题', '反馈问题', '存在问题', '问题描述'],
  measure: ['整改措施', '整改举措', '具体措施', '措施'],
  leader: ['责任领导', '牵头领导', '分管领导'],
  department: ['责任部门', '牵头部门', '牵头单位', '责任单位'],
  owner: ['责任人', '具体责任人'],
  contact: ['联系方式', '手机', '邮箱', '联系电话', '手机号'],
  coDepartments: ['配合部门', '配合单位'],
  deadline: ['整改时限', '完成时限', '时限'],
  standard: ['完成标准', '整改目标', '预期成效'],
  // Recognised so such a header row is found and the column is not mistaken for data; progress
  // is reported in chat, not imported.
  progress: ['完成情况', '进展情况'],
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
  progress: '完成情况',
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

/** The fields a row names when it is a header row (three column names or more, one of them 问题 or 整改措施). */
function headerColumns(row: GridRow): Map<Field, number[]> | undefined {
  const columns = new Map<Field, number[]>();
  row.cells.forEach((cell, col) => {
    const field = ALIAS_TO_FIELD.get(headerKey(cell));
    if (field) columns.set(field, [...(columns.get(field) ?? []), col]);
  });
  return columns.size >= 3 && (columns.has('measure') || columns.has('problem')) ? columns : undefined;
}

export function findHeader(rows: GridRow[]): { index: number; columns: Map<Field, number[]> } | undefined {
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const columns = headerColumns(rows[i]!);
    if (columns) return { index: i, columns };
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
  ref: SourceRef;
  category: string;
  problem: string;
  measure: ParsedMeasure;
  givenCode?: string;
}

/** Reads the rows of one sheet (already turned into cells) into a ParsedLedger. */
export function parseSpreadsheetRows(rows: GridRow[], meta: { fileName: string; format: LedgerFormat }, ctx: ParseContext): ParsedLedger {
  return parseGridBlocks([{ rows }], meta, ctx);
}

/**
 * Reads grids into one ParsedLedger, each grid with its own header row. Grids without a header
 * are skipped (a Word document may hold layout tables); with one grid its absence is the error.
 */
export function parseGridBlocks(blocks: GridBlock[], meta: { fileName: string; format: LedgerFormat }, ctx: ParseContext): ParsedLedger {
  const warnings: LedgerIssue[] = [];
  const errors: LedgerIssue[] = [];
  const ledger: ParsedLedger = { format: meta.format, fileName: meta.fileName, categories: [], warnings, errors };
  const headers = blocks.map((b) => findHeader(b.rows));
  if (!headers.some(Boolean)) {
    const where = blocks.length > 1 || blocks[0]?.table !== undefined ? '表格' : `前${HEADER_SEARCH_ROWS}行`;
    errors.push({ message: `没有找到表头行：${where}中没有“问题”“整改措施”“责任部门”“整改时限”等列名` });
    return ledger;
  }
  // Plain sequence numbers (序号 1, 2, 3) are not measure codes: derive codes from the order then.
  const useGivenCodes = blocks.some((b, i) => {
    const codeColumn = headers[i]?.columns.get('code')?.[0];
    return codeColumn !== undefined && b.rows.slice(headers[i]!.index + 1).some((r) => /[.、\-．]/.test(cellText(r.cells[codeColumn]).normalize('NFKC')));
  });
  const drafts: RowDraft[] = [];
  let lastYear: number | undefined;
  blocks.forEach((block, i) => {
    const header = headers[i];
    if (!header) {
      if (block.rows.length > 0) warnings.push({ message: `第${block.table ?? i + 1}个表格没有“问题”“整改措施”等表头，已跳过` });
      return;
    }
    lastYear = readBlock(block, header, { useGivenCodes, lastYear, drafts, warnings, errors }, ctx);
  });
  ledger.categories = groupDrafts(drafts, useGivenCodes, errors);
  const unset = drafts.filter((d) => isNoDeadlineStated(d.measure.deadline)).length;
  if (unset > 0) warnings.push(unsetDeadlineWarning(unset));
  errors.sort((a, b) => (a.ref?.table ?? 0) - (b.ref?.table ?? 0) || (a.ref?.index ?? 0) - (b.ref?.index ?? 0));
  if (drafts.length === 0 && errors.length === 0) errors.push({ message: '表头下面没有任何整改措施' });
  return ledger;
}

interface BlockState {
  useGivenCodes: boolean;
  lastYear: number | undefined;
  drafts: RowDraft[];
  warnings: LedgerIssue[];
  errors: LedgerIssue[];
}

/** One grid's rows into drafts; returns the last year a deadline stated, carried to the next grid. */
function readBlock(block: GridBlock, header: { index: number; columns: Map<Field, number[]> }, state: BlockState, ctx: ParseContext): number | undefined {
  const { drafts, warnings, errors, useGivenCodes } = state;
  const rowRef = (index: number, cell?: string): SourceRef =>
    block.table !== undefined ? { kind: 'row', table: block.table, index, cell } : { kind: 'row', index, cell };
  const headerRow = block.rows[header.index]!.number;
  const before = errors.length;
  for (const f of REQUIRED) {
    if (!header.columns.has(f)) {
      errors.push({
        ref: rowRef(headerRow),
        message: `缺少必需的列“${FIELD_NAMES[f]}”（可用的列名：${FIELD_ALIASES[f].join('、')}）`,
      });
    }
  }
  if (errors.length > before) return state.lastYear;

  const col = (f: Field) => header.columns.get(f)?.[0];
  const get = (r: GridRow, f: Field): string => {
    for (const c of header.columns.get(f) ?? []) {
      const t = cellText(r.cells[c]);
      if (t) return t;
    }
    return '';
  };
  // A Word table has no column letters: its cells are named by their column's header.
  const cellRef = (r: GridRow, f: Field) =>
    rowRef(r.number, block.table !== undefined ? cellText(block.rows[header.index]!.cells[col(f)!]) : `${columnLetter(col(f)!)}${r.number}`);

  let category = '';
  let problem = '';
  let lastYear = state.lastYear;
  for (const r of block.rows.slice(header.index + 1)) {
    const texts = r.cells.map(cellText);
    if (texts.every((t) => t === '')) continue;
    if (texts.some((t) => TOTAL_ROW.test(t.replace(/\s+/g, '')))) continue;
    // The header repeated further down (a table that broke across pages, pasted together).
    if (headerColumns(r)) continue;

    const categoryCell = get(r, 'category') || block.category || '';
    if (categoryCell && categoryCell !== category) {
      category = categoryCell;
      problem = '';
    }
    const problemCell = get(r, 'problem');
    if (problemCell) problem = problemCell;
    const measureText = get(r, 'measure');
    if (!measureText) {
      const filled = header.columns.has('category') ? texts.filter((t, i) => t && i !== col('category') && i !== col('problem')) : texts.filter(Boolean);
      if (filled.length > 0) warnings.push({ ref: rowRef(r.number), message: `没有整改措施，已跳过（内容：${filled.join(' ').slice(0, 40)}）` });
      continue;
    }
    if (!problem) {
      errors.push({ ref: cellRef(r, 'problem'), message: '缺少“问题”，上方也没有可沿用的问题' });
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
      const parsed = written ? parseDeadline(written, deadlineContext(lastYear, ctx)) : { ok: true as const, deadline: { ...NO_DEADLINE_STATED } };
      if (parsed.ok) {
        deadline = parsed.deadline;
        lastYear = explicitYearOf(written) ?? lastYear;
      } else {
        errors.push({ ref: cellRef(r, 'deadline'), message: parsed.error });
      }
    }

    let givenCode: string | undefined;
    if (useGivenCodes) {
      const raw = get(r, 'code');
      givenCode = normalizeMeasureCode(raw);
      if (!givenCode) {
        errors.push({
          ref: cellRef(r, 'code'),
          message: raw ? `编号“${raw}”不是有效的措施编号（应为数字和点，如 2.1.3）` : '缺少编号',
        });
      }
    }
    const department = get(r, 'department');
    if (!department) warnings.push({ ref: cellRef(r, 'department'), message: '责任部门为空' });
    const optional = (f: Field) => get(r, f) || undefined;
    drafts.push({
      row: r.number,
      ref: rowRef(r.number),
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
        ref: rowRef(r.number),
      },
    });
  }
  return lastYear;
}

/** Groups rows into categories and problems in order of appearance; derives or checks codes. */
function groupDrafts(drafts: RowDraft[], useGivenCodes: boolean, errors: LedgerIssue[]): ParsedCategory[] {
  const categories: ParsedCategory[] = [];
  const byCategory = new Map<string, { category: ParsedCategory; problems: Map<string, ParsedProblem> }>();
  const seen = new Map<string, SourceRef>();
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
      errors.push({ ref: d.ref, message: `编号 ${code} 与${describeRef(earlier)}重复` });
      continue;
    }
    seen.set(code, d.ref);
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
    return { format: 'xlsx', fileName, categories: [], warnings: [], errors: [{ message: '无法读取这个 Excel 文件，请确认是 .xlsx 格式' }] };
  }
  return parseFirstLedgerSheet(grids, fileName, 'xlsx', ctx);
}

/** The first sheet that has a ledger header; else a report on the first sheet. */
function parseFirstLedgerSheet(grids: Array<{ sheet: string; rows: GridRow[] }>, fileName: string, format: 'xlsx' | 'xls', ctx: ParseContext): ParsedLedger {
  const withHeader = grids.find((g) => findHeader(g.rows)) ?? grids[0];
  if (!withHeader) return refusedLedger(format, fileName, { message: '这个 Excel 文件没有工作表' });
  const ledger = parseSpreadsheetRows(withHeader.rows, { fileName, format }, ctx);
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

/**
 * Excel 97–2003 (.xls, BIFF; also as WPS saves it) through @e965/xlsx, the maintained SheetJS
 * build, into the same grid as an .xlsx: merged ranges read as their top-left cell, date cells as
 * dates. Reading stops after the rows the limit allows.
 */
export async function parseXls(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  const cap = ctx.maxRows === undefined ? undefined : rowReadingCap(ctx.maxRows);
  let grids: Array<{ sheet: string; rows: GridRow[]; truncated?: boolean }>;
  try {
    if (!looksLikeWorkbook(bytes)) throw new Error('not a workbook');
    grids = await readXlsGrids(bytes, cap);
  } catch {
    return refusedLedger('xls', fileName, { message: '无法读取这个 Excel 文件，请确认是 Excel 97–2003 的 .xls 格式（或另存为 .xlsx 后发送）' });
  }
  if (cap !== undefined && grids.some((g) => g.truncated || g.rows.length > cap)) return refusedLedger('xls', fileName, rowLimitIssue(ctx.maxRows!));
  return parseFirstLedgerSheet(grids, fileName, 'xls', ctx);
}

/**
 * SheetJS reads any bytes as a one-column text sheet; a file named .xls is read only when it is
 * a compound file (BIFF8), an older BIFF stream, a zip (an .xlsx renamed) or markup (HTML and
 * XML spreadsheets that some systems export as .xls).
 */
function looksLikeWorkbook(bytes: Uint8Array): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1) || starts(0x50, 0x4b, 0x03, 0x04)) return true;
  if (bytes[0] === 0x09 && [0x00, 0x02, 0x04, 0x08].includes(bytes[1]!)) return true;
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('<');
}

/** `truncated`: the sheet goes on past the rows read (only when reading was capped). */
async function readXlsGrids(bytes: Uint8Array, cap: number | undefined): Promise<Array<{ sheet: string; rows: GridRow[]; truncated?: boolean }>> {
  const XLSX = await import('@e965/xlsx');
  // sheetRows counts every row up to the last one read, blank ones too: a margin over the cap.
  // A sheet longer than that is refused rather than read in part (nothing accepted is lost).
  const sheetRows = cap === undefined ? undefined : 2 * cap + 1;
  const wb = XLSX.read(bytes, { type: 'array', dense: false, ...(sheetRows !== undefined ? { sheetRows } : {}) });
  return wb.SheetNames.map((name) => {
    const ws = wb.Sheets[name]!;
    const ref = ws['!ref'];
    if (!ref) return { sheet: name, rows: [] };
    const range = XLSX.utils.decode_range(ref);
    const valueAt = (r: number, c: number): Cell => {
      const cell = ws[XLSX.utils.encode_cell({ r, c })] as import('@e965/xlsx').CellObject | undefined;
      if (!cell || cell.v === undefined || cell.t === 'e' || cell.t === 'z') return undefined;
      if (cell.t === 'n' && cell.z !== undefined && XLSX.SSF.is_date(cell.z)) {
        // The serial as a UTC-midnight date, the form exceljs gives for .xlsx date cells.
        return new Date(Date.UTC(1899, 11, 30) + Math.round(cell.v as number) * 86_400_000);
      }
      if (cell.t === 'b') return cell.v ? '是' : '否';
      return typeof cell.v === 'number' ? cell.v : String(cell.v);
    };
    const master = new Map<string, { r: number; c: number }>();
    for (const m of ws['!merges'] ?? []) {
      for (let r = m.s.r; r <= m.e.r; r++) for (let c = m.s.c; c <= m.e.c; c++) master.set(`${r}:${c}`, m.s);
    }
    const rows: GridRow[] = [];
    for (let r = range.s.r; r <= range.e.r; r++) {
      const cells: Cell[] = [];
      for (let c = 0; c <= range.e.c; c++) {
        const from = master.get(`${r}:${c}`) ?? { r, c };
        cells[c] = valueAt(from.r, from.c);
      }
      // As exceljs: rows holding a value only (a merged range's value counts in every row of it).
      if (cells.some((v) => v !== undefined)) rows.push({ number: r + 1, cells });
    }
    const full = ws['!fullref'] ? XLSX.utils.decode_range(ws['!fullref']) : range;
    return { sheet: name, rows, truncated: sheetRows !== undefined && full.e.r - full.s.r + 1 > sheetRows };
  });
}
