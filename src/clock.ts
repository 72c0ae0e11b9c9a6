/** The single source of time. Tests pin it; production reads the system clock. */
export interface Clock {
  now(): Date;
  /** Resolves after ms milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
  /**
   * Calls fn once ms milliseconds of this clock's time from now; returns a cancel function.
   * An alarm never keeps the process alive by itself (a CLI job exits when its work is done).
   */
  alarm(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  alarm: (ms, fn) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    (timer as { unref?(): void }).unref?.();
    return () => clearTimeout(timer);
  },
};

/**
 * A clock that starts at `start` and moves only when told to: sleep advances it at once, and
 * alarms ring when it is moved past their time (by advance, set or sleep), never on their own.
 */
export function createFixedClock(start: Date | string): Clock & { set(t: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  let alarms: Array<{ at: number; fn: () => void }> = [];
  const moveTo = (v: number) => {
    t = v;
    const due = alarms.filter((a) => a.at <= t).sort((a, b) => a.at - b.at);
    alarms = alarms.filter((a) => a.at > t);
    for (const a of due) a.fn();
  };
  return {
    now: () => new Date(t),
    sleep: async (ms) => moveTo(t + Math.max(0, ms)),
    alarm: (ms, fn) => {
      const entry = { at: t + Math.max(0, ms), fn };
      alarms.push(entry);
      return () => {
        alarms = alarms.filter((a) => a !== entry);
      };
    },
    set: (v) => moveTo(new Date(v).getTime()),
    advance: (ms) => moveTo(t + ms),
  };
}
