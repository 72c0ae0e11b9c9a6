/**
 * The worker thread that reads one ledger file (see worker-ledger-parser.ts): the file comes in
 * as workerData, the parsed ledger goes back as the one message. Anything thrown here, or the
 * heap running out, ends the thread and the parent refuses the file; the service is unaffected.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseLedgerFile } from '../ledger-io/parse.js';
import type { ParseContext } from '../ledger-io/parse-context.js';

const job = workerData as { fileName: string; bytes: Uint8Array; ctx: ParseContext };
parentPort!.postMessage(await parseLedgerFile(job.fileName, job.bytes, job.ctx));
