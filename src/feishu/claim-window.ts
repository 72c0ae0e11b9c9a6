import type { ClaimWindow } from '../../db/queries/work-holders.js';

/** How often a running process proves it is alive (src/runtime/work-holder.ts). */
export const HEARTBEAT_INTERVAL_MS = 1000;
/**
 * A holder silent this long is taken for dead and its claims are taken over. Three missed beats:
 * long enough that a busy event loop is not mistaken for a crash, short enough that work a
 * crashed process held is resumed within a few seconds.
 */
export const HOLDER_TIMEOUT_MS = 3 * HEARTBEAT_INTERVAL_MS;

/**
 * The claim rules as of `now`. A claim is taken over when its holder stopped or fell silent, or
 * when the attempt has run longer than the lease (a hung call; on Workers, where there is no
 * holder, the lease is the only bound). `holder` is recorded on what is claimed now.
 */
export function claimWindow(now: Date, leaseMs: number, holder: string | undefined): ClaimWindow {
  return {
    now: now.toISOString(),
    staleBefore: new Date(now.getTime() - leaseMs).toISOString(),
    aliveAfter: new Date(now.getTime() - HOLDER_TIMEOUT_MS).toISOString(),
    holder: holder ?? null,
  };
}
