/** What the ledger parse thread is sent and sends back (see worker-ledger-parser.ts). */
import type { ParsedLedger } from '../ledger-io/ledger.js';
import type { ParseContext } from '../ledger-io/parse-context.js';
import { parseLedgerFile } from '../ledger-io/parse.js';

export interface LedgerParseJob {
  id: number;
  fileName: string;
  bytes: Uint8Array;
  ctx: ParseContext;
}

export type LedgerParseResult = { id: number; ledger: ParsedLedger } | { id: number; error: string };

/** One job's answer; a throw becomes its message (and the parent retires the thread). */
export async function runLedgerParseJob(job: LedgerParseJob): Promise<LedgerParseResult> {
  try {
    return { id: job.id, ledger: await parseLedgerFile(job.fileName, job.bytes, job.ctx) };
  } catch (e) {
    return { id: job.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
