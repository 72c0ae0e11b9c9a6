/** What the ledger parse thread is sent and sends back (see worker-ledger-parser.ts). */
import type { ParsedLedger } from '../ledger-io/ledger.js';
import type { ParseContext } from '../ledger-io/parse-context.js';
import { parseLedgerFile } from '../ledger-io/parse.js';
import { describeError, type ErrorDescription } from '../logger.js';

export interface LedgerParseJob {
  id: number;
  fileName: string;
  bytes: Uint8Array;
  ctx: ParseContext;
}

export type LedgerParseResult = { id: number; ledger: ParsedLedger } | { id: number; error: ErrorDescription };

/** One job's answer; a throw becomes its description, stack included (and the parent retires the thread). */
export async function runLedgerParseJob(job: LedgerParseJob): Promise<LedgerParseResult> {
  try {
    return { id: job.id, ledger: await parseLedgerFile(job.fileName, job.bytes, job.ctx) };
  } catch (e) {
    return { id: job.id, error: describeError(e) };
  }
}

/** Asks a new thread to get its readers ready before any file comes (see warmUpLedgerParsers). */
export interface LedgerWarmUp {
  warmUp: true;
}

/**
 * Reads a small workbook, written here, once: the first file a thread reads pays for loading
 * the spreadsheet library and compiling its code (a 5,000-row workbook then takes about twice as
 * long as the next one), so a thread started ahead of time pays that before a file is waiting.
 */
export async function warmUpLedgerParsers(): Promise<void> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  const ws = wb.addWorksheet('整改台账');
  ws.addRow(['编号', '问题类别', '问题', '整改措施', '责任部门', '整改时限']);
  for (let i = 1; i <= 20; i++) ws.addRow([`1.1.${i}`, '类别', '问题', `第${i}条措施`, '办公室', '2025年12月31日']);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  await parseLedgerFile('warm-up.xlsx', bytes, { referenceDate: '2024-09-14', maxRows: 100 });
}
