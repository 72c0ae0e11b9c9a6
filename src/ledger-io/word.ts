import { parseDocumentText } from './document.js';
import { refusedLedger, rowLimitIssue, type ParsedLedger } from './ledger.js';
import type { ParseContext } from './parse-context.js';
import { rowReadingCap } from './spreadsheet.js';
import { docTextBody, parseWordTables, readDocxBody, type WordBody } from './word-tables.js';

/**
 * Word documents: their tables when one has a ledger header (a 整改台账 kept in Word), else their
 * text as a plan or notice.
 */

function rowCap(ctx: ParseContext): number {
  return ctx.maxRows === undefined ? Number.POSITIVE_INFINITY : rowReadingCap(ctx.maxRows);
}

export async function parseDocx(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  const unreadable = refusedLedger('docx', fileName, { message: '无法读取这个 Word 文件，请确认是 .docx 格式' });
  let body: WordBody;
  try {
    body = await readDocxBody(bytes, rowCap(ctx));
  } catch {
    return unreadable;
  }
  if (body.tooManyRows) return refusedLedger('docx', fileName, rowLimitIssue(ctx.maxRows!));
  const tables = parseWordTables(body.items, { fileName, format: 'docx' }, ctx);
  if (tables) return tables;
  let text: string;
  try {
    // Loaded on first use, like the other document libraries.
    const { default: mammoth } = await import('mammoth');
    text = (await mammoth.extractRawText({ buffer: bytes as unknown as Buffer })).value;
  } catch {
    return unreadable;
  }
  return parseDocumentText(text, { fileName, format: 'docx' }, ctx);
}

/** Word 97–2003 (.doc, also as WPS saves it), through word-extractor's text with cell marks. */
export async function parseDoc(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  let text: string;
  try {
    const { default: WordExtractor } = await import('word-extractor');
    const doc = await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    text = doc.getBody({ filterUnicode: false }); // keep “” and ‘’ as written
  } catch {
    return refusedLedger('doc', fileName, { message: '无法读取这个 Word 文件，请确认是 Word 97–2003 的 .doc 格式（或另存为 .docx 后发送）' });
  }
  const body = docTextBody(text, rowCap(ctx));
  if (body.tooManyRows) return refusedLedger('doc', fileName, rowLimitIssue(ctx.maxRows!));
  const tables = parseWordTables(body.items, { fileName, format: 'doc' }, ctx);
  if (tables) return tables;
  // Without a ledger table, the cell marks are only spacing in the text.
  return parseDocumentText(text.replace(/\t+/g, '\n'), { fileName, format: 'doc' }, ctx);
}
