/**
 * This process as a holder of claimed work on the database file (Node only). It beats a
 * heartbeat every second; other processes take its claims over once it is silent for
 * HOLDER_TIMEOUT_MS. On the same machine a holder whose process is gone is released at once,
 * so a restart after kill -9 resumes the dead process's work immediately.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../db/database.js';
import { beatHeartbeat, listRunningHoldersOn, pruneWorkHolders, registerWorkHolder, stopWorkHolder } from '../../db/queries/work-holders.js';
import type { Clock } from '../clock.js';
import { HEARTBEAT_INTERVAL_MS } from '../feishu/claim-window.js';
import { describeError, type Logger } from '../logger.js';

const FORGET_HOLDERS_AFTER_MS = 24 * 3600_000;

export interface WorkHolderHandle {
  id: string;
  /** Marks this holder stopped: whatever it still holds is taken over at once. */
  stop(): Promise<void>;
}

/** Whether a process with this id runs on this machine (EPERM: it runs, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startWorkHolder(o: { db: Db; clock: Clock; log: Logger }): Promise<WorkHolderHandle> {
  const host = hostname();
  const id = `${host}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const iso = () => o.clock.now().toISOString();

  /**
   * Holders on this machine whose process is gone are marked stopped. A holder with this
   * process's own pid but another id is a previous life (a container restarts with the same
   * pid). A reused pid only makes a dead holder look alive; its heartbeat then runs out.
   */
  async function releaseDeadNeighbours() {
    for (const h of await listRunningHoldersOn(o.db, host)) {
      if (h.id === id) continue;
      if (h.pid === process.pid || !processRuns(h.pid)) {
        await stopWorkHolder(o.db, h.id, iso());
        o.log.info('took over the work of a stopped process', { holder: h.id, lastHeartbeat: h.heartbeatAt });
      }
    }
  }

  await pruneWorkHolders(o.db, new Date(o.clock.now().getTime() - FORGET_HOLDERS_AFTER_MS).toISOString());
  await registerWorkHolder(o.db, { id, host, pid: process.pid, now: iso() });
  await releaseDeadNeighbours();

  let warned = false;
  const timer = setInterval(() => {
    void (async () => {
      if (!(await beatHeartbeat(o.db, id, iso())) && !warned) {
        warned = true;
        o.log.warn('another process took this process for dead; work it held may run twice (messages are deduplicated by uuid)', { holder: id });
      }
      await releaseDeadNeighbours();
    })().catch((e) => o.log.error('heartbeat failed', { error: describeError(e) }));
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();

  return {
    id,
    async stop() {
      clearInterval(timer);
      await stopWorkHolder(o.db, id, iso());
    },
  };
}
