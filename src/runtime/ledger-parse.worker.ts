/**
 * The worker thread that reads ledger files (see worker-ledger-parser.ts). It stays alive between
 * files so the spreadsheet and Word readers load once: each job comes in as a message, the parsed
 * ledger (or the error's message) goes back tagged with the job's id. The heap running out ends
 * the thread and the parent refuses the file; the service is unaffected.
 */
import { parentPort } from 'node:worker_threads';
import { runLedgerParseJob, type LedgerParseJob } from './ledger-parse-job.js';

const port = parentPort!;
port.on('message', async (job: LedgerParseJob) => port.postMessage(await runLedgerParseJob(job)));
