/**
 * Node only: moves SQLite's WAL checkpoints off the event loop. By default the connection that
 * commits past 1,000 WAL pages copies them into the database file inside that commit, a stall
 * of many milliseconds that lands on whichever webhook request happened to write then (it was
 * most of the ack latency's tail under load). Here the service's connection stops checkpointing
 * and a worker thread with its own connection runs a PASSIVE checkpoint every second, which
 * never blocks writers. If the thread fails, the connection checkpoints for itself again.
 */
import { Worker } from 'node:worker_threads';
import { describeError, type Logger } from '../logger.js';

const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** The thread's code, plain CommonJS so it needs no build step of its own. */
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

export interface CheckpointedConnection {
  pragma(source: string): unknown;
}

export function startWalCheckpointer(o: {
  path: string;
  connection: CheckpointedConnection;
  log: Logger;
  intervalMs?: number;
  driverPath: string;
}): WalCheckpointer {
  o.connection.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const worker = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { path: o.path, intervalMs: o.intervalMs ?? 1000, driver: o.driverPath } });
  worker.unref();
  let handedBack = false;
  /** Once, whichever of error and exit comes first; the connection may be closed by then. */
  const takeBack = (why: string, error?: unknown) => {
    if (stopping || handedBack) return;
    handedBack = true;
    o.log.warn('WAL checkpoints run on the service connection again', { reason: why, error: error === undefined ? undefined : describeError(error) });
    try {
      o.connection.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
    } catch {
      // closed: nothing left to checkpoint for
    }
  };
  worker.on('message', (m: { error?: string }) => m.error && o.log.warn('WAL checkpoint failed', { error: m.error }));
  worker.on('error', (e) => takeBack('checkpoint thread failed', e));
  worker.on('exit', (code) => takeBack(`checkpoint thread exited (${code})`));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      await worker.terminate();
      if (!handedBack) o.connection.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
    },
  };
}
