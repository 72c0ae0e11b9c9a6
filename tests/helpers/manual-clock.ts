/**
 * A clock whose time moves only when the test moves it. Unlike createFixedClock, a sleep does
 * not pass by itself: it waits until advance() carries the clock past its end, so a test can
 * hold code in the middle of a wait, do something, and then let the time pass.
 */
import type { Clock } from '../../src/clock.js';

interface Waiter {
  at: number;
  fire: () => void;
  sleep: boolean;
}

export type ManualClock = Clock & {
  /** Moves the clock forward; sleeps and alarms due by then run in time order, and their code runs before this resolves. */
  advance(ms: number): Promise<void>;
  /** How many sleeps are waiting for the clock to move. */
  sleepers(): number;
  /** Resolves once some code is waiting in a sleep (a positive signal, not a timed wait). */
  untilSleeping(count?: number): Promise<void>;
};

/** Lets every callback already queued (promise jobs, I/O completions) run. */
export const flushIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createManualClock(start: Date | string): ManualClock {
  let t = new Date(start).getTime();
  let waiters: Waiter[] = [];
  const add = (w: Waiter) => {
    waiters.push(w);
    return () => {
      waiters = waiters.filter((x) => x !== w);
    };
  };
  return {
    now: () => new Date(t),
    sleep: (ms) => new Promise<void>((resolve) => void add({ at: t + Math.max(0, ms), fire: resolve, sleep: true })),
    alarm: (ms, fn) => add({ at: t + Math.max(0, ms), fire: fn, sleep: false }),
    async advance(ms) {
      const end = t + ms;
      for (;;) {
        const due = waiters.filter((w) => w.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        waiters = waiters.filter((w) => w !== due);
        t = Math.max(t, due.at);
        due.fire();
        await flushIo();
      }
      t = end;
      await flushIo();
    },
    sleepers: () => waiters.filter((w) => w.sleep).length,
    async untilSleeping(count = 1) {
      for (let i = 0; i < 10_000; i++) {
        if (waiters.filter((w) => w.sleep).length >= count) return;
        await flushIo();
      }
      throw new Error(`nothing came to sleep on the manual clock (waiting for ${count})`);
    },
  };
}
