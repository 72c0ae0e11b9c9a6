/**
 * The worker thread that reads ledger files (see worker-ledger-parser.ts). It stays alive between
 * files so the spreadsheet and Word readers load once: each job comes in as a message, the parsed
 * ledger (or the error's message) goes back tagged with the job's id. The heap running out ends
 * the thread and the parent refuses the file; the service is unaffected.
 */
import { parentPort } from 'node:worker_threads';
import { runLedgerParseJob, warmUpLedgerParsers, type LedgerParseJob, type LedgerWarmUp } from './ledger-parse-job.js';

const port = parentPort!;
// One message at a time, in order: a file sent during the warm-up waits for it.
let queue = Promise.resolve();
port.on('message', (m: LedgerParseJob | LedgerWarmUp) => {
  queue = queue.then(async () => {
    // A warm-up that fails costs nothing but its time: the file still gets its own parse.
    if ('warmUp' in m) return warmUpLedgerParsers().catch(() => undefined);
    port.postMessage(await runLedgerParseJob(m));
  });
});
