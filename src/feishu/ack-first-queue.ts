/**
 * Runs stored events after their ack, giving way to acks. Acknowledging (verify, decrypt,
 * persist, answer) is what Feishu times and retries; processing can wait a little. While acks
 * are coming in (one in flight, or one finished less than `quietAfterMs` ago), one lane keeps a
 * trickle of work moving (one task per `busyGapMs`) and the other lanes wait; once requests
 * pause, all lanes drain the backlog at full speed. A little only: once the oldest queued task
 * has waited `fairAfterMs`, the lanes stop waiting for a pause and take turns with the acks, so
 * a load that never pauses still gets its replies.
 */
export interface AckFirstQueue {
  /** Queues a task under a key; false when that key is already queued or running. */
  push(key: string, task: () => Promise<void>): boolean;
  /** Marks an ack in progress until the returned function is called. */
  ackStarted(): () => void;
  /** tasks queued or running */
  readonly size: number;
}

export interface AckFirstQueueOptions {
  /** starts a lane's loop in the background (the runtime's tracked defer) */
  start(loop: () => Promise<void>): void;
  /** tasks running at once; the database is synchronous, so more lanes only help tasks that wait on Feishu */
  concurrency?: number;
  /** while acks are coming in, the trickle lane starts a task at most this often */
  busyGapMs?: number;
  /** how long after the last ack requests count as paused */
  quietAfterMs?: number;
  /** how long a task may wait for a pause before the lanes share the loop with acks regardless */
  fairAfterMs?: number;
  /**
   * Lets pending I/O (new requests) run before the next task; the entry file passes the
   * runtime's own (Node: setImmediate). Scheduling, not time of day: no clock. Default: a 0 ms timer.
   */
  yieldToIo?: () => Promise<void>;
}

const zeroTimer = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Monotonic milliseconds, for how long a task has waited (scheduling, not time of day). */
const sinceStart = () => performance.now();

export function createAckFirstQueue(o: AckFirstQueueOptions): AckFirstQueue {
  const concurrency = o.concurrency ?? 4;
  const busyGapMs = o.busyGapMs ?? 50;
  const quietAfterMs = o.quietAfterMs ?? 5;
  const fairAfterMs = o.fairAfterMs ?? 5000;
  const yieldToIo = o.yieldToIo ?? zeroTimer;
  /** tasks in the order they came, with when they came */
  const queued = new Map<string, { task: () => Promise<void>; at: number }>();
  const running = new Set<string>();
  /** lane numbers in use; lane 0 is the one that trickles while acks come in */
  const lanes = new Set<number>();
  let acks = 0;
  let quiet = true;
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
  let quietWaiters: Array<() => void> = [];

  const untilQuiet = () => (quiet ? Promise.resolve() : new Promise<void>((resolve) => quietWaiters.push(resolve)));

  function becomeQuiet() {
    quiet = true;
    const waiters = quietWaiters;
    quietWaiters = [];
    for (const w of waiters) w();
  }

  /** Milliseconds until the oldest task has waited too long for a pause (0: it has; then lanes take turns with acks). */
  const untilOverdue = () => {
    const oldest = queued.values().next();
    return oldest.done ? 0 : Math.max(0, fairAfterMs - (sinceStart() - oldest.value.at));
  };

  /** Waits for this lane's turn: at once when requests have paused or work is overdue. */
  async function turn(lane: number): Promise<void> {
    await yieldToIo();
    for (;;) {
      const wait = untilOverdue();
      if (quiet || wait === 0) return;
      if (lane === 0) return void (await Promise.race([untilQuiet(), pause(Math.min(busyGapMs, wait))]));
      await Promise.race([untilQuiet(), pause(wait)]);
    }
  }

  async function lane(index: number): Promise<void> {
    try {
      for (;;) {
        await turn(index);
        const next = queued.entries().next();
        if (next.done) return;
        const [key, { task }] = next.value;
        queued.delete(key);
        running.add(key);
        try {
          await task();
        } catch {
          // Tasks record and log their own failures; a lane never dies of one.
        } finally {
          running.delete(key);
        }
      }
    } finally {
      lanes.delete(index);
      // A task pushed while this lane was finishing must not be left without a lane.
      startLanes();
    }
  }

  function startLanes() {
    for (let index = 0; index < concurrency && lanes.size - running.size < queued.size; index++) {
      if (lanes.has(index)) continue;
      lanes.add(index);
      o.start(() => lane(index));
    }
  }

  return {
    push(key, task) {
      if (queued.has(key) || running.has(key)) return false;
      queued.set(key, { task, at: sinceStart() });
      startLanes();
      return true;
    },
    ackStarted() {
      acks += 1;
      quiet = false;
      clearTimeout(quietTimer);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        acks -= 1;
        if (acks > 0) return;
        clearTimeout(quietTimer);
        quietTimer = setTimeout(() => acks === 0 && becomeQuiet(), quietAfterMs);
      };
    },
    get size() {
      return queued.size + running.size;
    },
  };
}
