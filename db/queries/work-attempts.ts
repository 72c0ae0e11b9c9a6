import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * Inbox events and outbox messages count an attempt when they are claimed, so an attempt the
 * process did not survive (killed, out of memory, a lost isolate) counts like one that threw.
 * Work found claimed-and-abandoned with no attempts left is parked as failed with this reason,
 * instead of being claimed again and taking the process down once more.
 */
export function interruptedReason(attempts: AnyColumn): SQL<string> {
  return sql<string>`'interrupted ' || ${attempts} || ' times: the process stopped while working on it'`;
}

/** How many interruptions a parked row's reason names; undefined for any other reason. */
export function interruptionsIn(lastError: string | null): number | undefined {
  const m = /^interrupted (\d+) times/.exec(lastError ?? '');
  return m ? Number(m[1]) : undefined;
}
