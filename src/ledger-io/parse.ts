import { boundDeadlines } from './deadline.js';
import { parseDocx, parseTextDocument } from './document.js';
import type { LedgerFormat, ParsedLedger } from './ledger.js';
import type { ParseContext } from './parse-context.js';
import { parseCsvLedger, parseXlsx } from './spreadsheet.js';

export const SUPPORTED_EXTENSIONS = ['xlsx', 'csv', 'docx', 'txt', 'md'] as const;

export function formatOfFileName(fileName: string): LedgerFormat | undefined {
  const ext = /\.([^.]+)$/.exec(fileName.toLowerCase())?.[1];
  if (ext === 'markdown') return 'md';
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(ext ?? '') ? (ext as LedgerFormat) : undefined;
}

/** Any supported file in, the neutral ledger out; an unsupported type is an error, not a throw. */
export async function parseLedgerFile(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  return boundDeadlines(await parseLedgerFormat(fileName, bytes, ctx), ctx.referenceDate);
}

async function parseLedgerFormat(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  const format = formatOfFileName(fileName);
  switch (format) {
    case 'xlsx':
      return parseXlsx(fileName, bytes, ctx);
    case 'csv':
      return parseCsvLedger(fileName, bytes, ctx);
    case 'docx':
      return parseDocx(fileName, bytes, ctx);
    case 'txt':
    case 'md':
      return parseTextDocument(fileName, bytes, format, ctx);
    default:
      return {
        format: 'txt',
        fileName,
        categories: [],
        warnings: [],
        errors: [{ message: `不支持的文件类型“${fileName}”：请发送 .xlsx、.csv、.docx、.txt 或 .md 文件（.xls、.doc 请先另存为新格式）` }],
      };
  }
}
