import type { LedgerFormat, ParsedLedger } from './ledger.js';
import type { ParseContext } from './parse-context.js';
import { findHeader, parseGridBlocks, type GridBlock, type GridRow } from './spreadsheet.js';

/**
 * Ledgers kept as tables in Word documents: the body read in order as paragraphs and tables,
 * each table a grid of cells with vertical merges filled down and horizontal spans kept in their
 * first column, so the tables go through the spreadsheet column logic (parseGridBlocks).
 * .docx is read with jszip + fast-xml-parser; .doc with word-extractor, whose text marks cells
 * with tabs.
 */

export type BodyItem = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: GridRow[] };

/** The body of a Word document, or `tooManyRows` when its tables hold more rows than `rowCap`. */
export type WordBody = { items: BodyItem[]; tooManyRows?: false } | { tooManyRows: true };

/** A fast-xml-parser node in preserveOrder mode: `{ tag: children, ':@': attributes }`. */
type XmlNode = Record<string, unknown>;

const ATTRS = ':@';
const SKIPPED = new Set(['w:rPr', 'w:pPr', 'w:tcPr', 'w:trPr', 'w:tblPr', 'w:tblGrid', 'w:delText', 'w:instrText', 'w:del', 'w:sectPr']);

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((k) => k !== ATTRS) ?? '';
}

function childrenOf(node: XmlNode): XmlNode[] {
  const c = node[tagOf(node)];
  return Array.isArray(c) ? (c as XmlNode[]) : [];
}

function attr(node: XmlNode | undefined, name: string): string | undefined {
  const a = node?.[ATTRS] as Record<string, unknown> | undefined;
  const v = a?.[`@_${name}`];
  return v === undefined ? undefined : String(v);
}

function child(node: XmlNode | undefined, tag: string): XmlNode | undefined {
  return node ? childrenOf(node).find((c) => tagOf(c) === tag) : undefined;
}

/** Children with content controls (w:sdt) and custom XML wrappers unwrapped. */
function contentChildren(node: XmlNode): XmlNode[] {
  return childrenOf(node).flatMap((c) => {
    const tag = tagOf(c);
    if (tag === 'w:sdt') return contentChildren(child(c, 'w:sdtContent') ?? {});
    if (tag === 'w:customXml') return contentChildren(c);
    return [c];
  });
}

/** The visible text of a paragraph, run or cell (deleted revisions and field codes left out). */
function textOf(node: XmlNode): string {
  const tag = tagOf(node);
  if (tag === '#text') return String(node['#text']);
  if (SKIPPED.has(tag)) return '';
  if (tag === 'w:tab') return ' ';
  if (tag === 'w:br' || tag === 'w:cr') return '\n';
  // The paragraphs of a cell are lines of its text.
  if (tag === 'w:tc')
    return childrenOf(node)
      .filter((c) => tagOf(c) === 'w:p' || tagOf(c) === 'w:tbl')
      .map(textOf)
      .join('\n')
      .trim();
  return childrenOf(node).map(textOf).join('');
}

/** Cell text of one table, merges resolved. Rows without any text are dropped. */
function tableRows(tbl: XmlNode, rowCap: number, counted: { rows: number }): GridRow[] | undefined {
  const rows: GridRow[] = [];
  let above: Array<string | undefined> = [];
  let number = 0;
  for (const tr of contentChildren(tbl).filter((n) => tagOf(n) === 'w:tr')) {
    number += 1;
    const cells: Array<string | undefined> = [];
    let col = Number(attr(child(child(tr, 'w:trPr'), 'w:gridBefore'), 'w:val') ?? 0) || 0;
    for (const tc of contentChildren(tr).filter((n) => tagOf(n) === 'w:tc')) {
      const props = child(tc, 'w:tcPr');
      const span = Math.max(1, Number(attr(child(props, 'w:gridSpan'), 'w:val') ?? 1) || 1);
      const vMerge = child(props, 'w:vMerge');
      // w:vMerge without w:val="restart" continues the cell above: it reads as that cell's text.
      const continues = vMerge !== undefined && attr(vMerge, 'w:val') !== 'restart';
      const text = continues ? above[col] : textOf(tc) || undefined;
      // A horizontal span keeps its text in its first column only: a row spanning the whole
      // table (a sub-heading) must not read as a measure in every column.
      cells[col] = text;
      col += span;
    }
    above = cells;
    if (cells.some((c) => c !== undefined && c !== '')) {
      counted.rows += 1;
      if (counted.rows > rowCap) return undefined;
      rows.push({ number, cells });
    }
  }
  return rows;
}

/** The body of a .docx: paragraphs and tables in document order. */
export async function readDocxBody(bytes: Uint8Array, rowCap: number): Promise<WordBody> {
  // Loaded on first use, like the other document libraries.
  const [{ default: JSZip }, { XMLParser }] = await Promise.all([import('jszip'), import('fast-xml-parser')]);
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')?.async('string');
  if (xml === undefined) throw new Error('not a Word document');
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
  });
  const root = parser.parse(xml) as XmlNode[];
  const document = root.find((n) => tagOf(n) === 'w:document');
  const body = child(document, 'w:body');
  if (!body) throw new Error('no document body');
  const items: BodyItem[] = [];
  const counted = { rows: 0 };
  for (const node of contentChildren(body)) {
    const tag = tagOf(node);
    if (tag === 'w:p') items.push({ kind: 'paragraph', text: textOf(node).trim() });
    else if (tag === 'w:tbl') {
      const rows = tableRows(node, rowCap, counted);
      if (!rows) return { tooManyRows: true };
      items.push({ kind: 'table', rows });
    }
  }
  return { items };
}

/**
 * The body of a .doc from word-extractor's text, where every cell ends with a tab and every row
 * with one more mark (an empty "cell"), a tab or a line break
 * (LibreOffice's .doc files give \t\t or \t\n at a row's end). A table's width is its first
 * row's. Vertically merged cells come out empty: the grid logic carries 类别 and 问题 down, but a
 * merged 责任单位 reaches only its first row. A first cell holding several paragraphs cannot be
 * told apart from a paragraph after the table.
 */
export function docTextBody(text: string, rowCap: number): WordBody {
  const tokens: Array<{ text: string; end: '\t' | '\n' }> = [];
  const re = /([^\t\n]*)([\t\n]|$)/g;
  for (let m = re.exec(text); m && m.index < text.length; m = re.exec(text)) {
    tokens.push({ text: m[1]!.replace(/\r/g, '').trim(), end: m[2] === '\t' ? '\t' : '\n' });
    if (m[0] === '') break;
  }
  const items: BodyItem[] = [];
  let table: GridRow[] | undefined;
  let width = 0;
  let rows = 0;
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!;
    if (t.end === '\n') {
      // A line outside any row: a paragraph (an empty one ends the table it follows, too).
      table = undefined;
      if (t.text) items.push({ kind: 'paragraph', text: t.text });
      i += 1;
      continue;
    }
    const cells: Array<string | undefined> = [];
    // Cells up to the table's width, or up to the row mark: an empty token before a line
    // break, or (for a table's first row) the first empty token. Text ending in a line break
    // inside a row is a paragraph of the cell it begins.
    let pending = '';
    while (i < tokens.length) {
      const c = tokens[i]!;
      if (table && cells.length === width && pending === '') {
        if (c.text === '') i += 1; // the row mark
        break;
      }
      i += 1;
      if (c.end === '\n') {
        if (c.text === '') break; // the row mark of a row ending in a line break
        pending += `${c.text}\n`;
        continue;
      }
      if (!table && c.text === '' && cells.length > 0 && pending === '') break; // the first row's mark
      cells.push((pending + c.text).trim() || undefined);
      pending = '';
    }
    if (!table) {
      table = [];
      width = cells.length;
      items.push({ kind: 'table', rows: table });
    }
    if (cells.some((c) => c !== undefined)) {
      rows += 1;
      if (rows > rowCap) return { tooManyRows: true };
      table.push({ number: table.length + 1, cells });
    }
  }
  return { items };
}

const CATEGORY_HEADING = /^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]\s*[、.．]?)\s*(.+)$/s;

/**
 * The tables of a body as grids, each with the category its heading paragraph names: the last
 * paragraph before the table when it is numbered (一、政治建设方面) or ends in 方面. Other paragraphs
 * (the title, 填报日期, 注：…) are not read.
 */
export function tableBlocks(items: BodyItem[]): GridBlock[] {
  const blocks: GridBlock[] = [];
  let lastParagraph: string | undefined;
  for (const item of items) {
    if (item.kind === 'paragraph') {
      if (item.text) lastParagraph = item.text;
      continue;
    }
    const numbered = lastParagraph ? CATEGORY_HEADING.exec(lastParagraph) : null;
    const named = numbered ? numbered[1]!.trim() : lastParagraph && /方面[：:]?$/.test(lastParagraph) ? lastParagraph : undefined;
    // A table with no heading of its own continues the category of the table before it.
    const category = named?.replace(/[：:。]$/, '') ?? blocks.at(-1)?.category;
    blocks.push({ rows: item.rows, table: blocks.length + 1, category });
    lastParagraph = undefined;
  }
  return blocks;
}

/**
 * A Word document's tables read as a ledger, or undefined when none of them has a ledger header
 * (the document is then read as text). Tables win over numbered text in the same document.
 */
export function parseWordTables(items: BodyItem[], meta: { fileName: string; format: LedgerFormat }, ctx: ParseContext): ParsedLedger | undefined {
  const blocks = tableBlocks(items);
  if (!blocks.some((b) => findHeader(b.rows))) return undefined;
  return parseGridBlocks(blocks, meta, ctx);
}
