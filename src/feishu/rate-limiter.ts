import type { Clock } from '../clock.js';

/**
 * Sliding one-second windows: at most `perSecond` sends per key. Feishu allows 50/s per app
 * and 5/s per chat or user; staying under both avoids 429s instead of recovering from them.
 */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  private waitFor(key: string, perSecond: number, now: number): number {
    const w = (this.windows.get(key) ?? []).filter((t) => t > now - 1000);
    this.windows.set(key, w);
    return w.length < perSecond ? 0 : w[0]! + 1000 - now;
  }

  /** Waits until every key has room, then records one send against each. */
  async acquire(limits: Array<[key: string, perSecond: number]>): Promise<void> {
    for (;;) {
      const now = this.clock.now().getTime();
      const wait = Math.max(0, ...limits.map(([k, n]) => this.waitFor(k, n, now)));
      if (wait === 0) {
        for (const [k] of limits) this.windows.get(k)!.push(now);
        if (this.windows.size > 10_000) this.prune(now);
        return;
      }
      await this.clock.sleep(wait);
    }
  }

  private prune(now: number) {
    for (const [k, w] of this.windows) if (!w.some((t) => t > now - 1000)) this.windows.delete(k);
  }
}
