import { boundDeadlines } from './deadline.js';
import { parseTextDocument } from './document.js';
import { allMeasures, refusedLedger, rowLimitIssue, type LedgerFormat, type ParsedLedger } from './ledger.js';
import type { ParseContext } from './parse-context.js';
import { parsePdf } from './pdf.js';
import { parseCsvLedger, parseXls, parseXlsx } from './spreadsheet.js';
import { parseDoc, parseDocx } from './word.js';

export const SUPPORTED_EXTENSIONS = ['xlsx', 'xls', 'csv', 'docx', 'doc', 'pdf', 'txt', 'md'] as const;

/** The supported formats as a user reads them, for messages that list them. */
export const SUPPORTED_FORMATS_TEXT = 'Excel（.xlsx、.xls）、.csv、Word（.docx、.doc）、文字版 PDF、.txt 或 .md';

export function formatOfFileName(fileName: string): LedgerFormat | undefined {
  const ext = /\.([^.]+)$/.exec(fileName.toLowerCase())?.[1];
  if (ext === 'markdown') return 'md';
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(ext ?? '') ? (ext as LedgerFormat) : undefined;
}

/** Reads a ledger file (on Node in a worker thread, see src/runtime/; elsewhere parseLedgerFile itself). */
export interface LedgerParser {
  (fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger>;
  /** Gets ready for a file about to arrive (the Node worker thread starts while it downloads). */
  prewarm?(): void;
}

/**
 * Any supported file in, the neutral ledger out; an unsupported type is an error, not a throw.
 * A file with more measures than ctx.maxRows comes back as a refusal with nothing of it kept.
 */
export async function parseLedgerFile(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  const ledger = await parseLedgerFormat(fileName, bytes, ctx);
  const found = allMeasures(ledger).length;
  if (ctx.maxRows !== undefined && found > ctx.maxRows) return refusedLedger(ledger.format, fileName, rowLimitIssue(ctx.maxRows, found));
  return boundDeadlines(ledger, ctx.referenceDate);
}

async function parseLedgerFormat(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  const format = formatOfFileName(fileName);
  switch (format) {
    case 'xlsx':
      return parseXlsx(fileName, bytes, ctx);
    case 'xls':
      return parseXls(fileName, bytes, ctx);
    case 'csv':
      return parseCsvLedger(fileName, bytes, ctx);
    case 'docx':
      return parseDocx(fileName, bytes, ctx);
    case 'doc':
      return parseDoc(fileName, bytes, ctx);
    case 'pdf':
      return parsePdf(fileName, bytes, ctx);
    case 'txt':
    case 'md':
      return parseTextDocument(fileName, bytes, format, ctx);
    default:
      return refusedLedger('txt', fileName, { message: `不支持的文件类型“${fileName}”：请发送${SUPPORTED_FORMATS_TEXT}文件` });
  }
}
