/**
 * How old a request may be before it is refused as a replay, and how long the inbox must
 * therefore remember what it accepted.
 *
 * Signed requests (an Encrypt Key is set): X-Lark-Request-Timestamp is covered by the
 * signature, so its age is trustworthy. Feishu names replay prevention as a purpose of the
 * Encrypt Key but documents no maximum age (open.feishu.cn, event-subscription-configure-/
 * encrypt-key-encryption-configuration-case). Nor does it say outright whether a retry carries
 * a fresh timestamp; we take it that it does: the header is the *request's* timestamp, each
 * push carries its own nonce, and other Feishu integrations observe each delivery signed at
 * send time (openclaw/openclaw#143484, which uses a 1 h window too). Were a retry to keep its
 * first timestamp, the retries 1 h and 6 h later would be refused and logged as stale;
 * FEISHU_REPLAY_WINDOW_SECONDS=28800 then covers the whole retry schedule.
 *
 * Unsigned requests (no Encrypt Key) have nothing trustworthy, but the envelope's create_time
 * (when the event happened) still bounds a replayed capture. It stays the same on every retry,
 * so it is allowed the window plus Feishu's whole retry schedule: 15 s, 5 min, 1 h and 6 h
 * after the first push, at most 4 retries (open.feishu.cn/document/ukTMukTMukTM/uUTNz4SN1MjL1UzM,
 * "推送周期和频次").
 */

/** A clock this far behind Feishu's is still believed; further ahead is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** From the first push to the last retry: 15 s + 5 min + 1 h + 6 h. */
export const FEISHU_REDELIVERY_SPAN_MS = (15 + 5 * 60 + 3600 + 6 * 3600) * 1000;
/** Processed events are kept at least a week (for looking into what happened), longer if the window needs it. */
const MIN_INBOX_RETENTION_MS = 7 * 24 * 3600_000;

/** How far in the past an unsigned event's create_time may lie. */
export const unsignedMaxAgeMs = (windowMs: number) => windowMs + FEISHU_REDELIVERY_SPAN_MS;

/**
 * How long processed inbox rows are kept. A request accepted at T carries a time of at most
 * T + MAX_FUTURE_SKEW_MS, so a replay of it is refused as stale from T + skew + max age on;
 * until then its row must still be there for the replay to hit the unique constraint.
 */
export function inboxRetentionMs(windowMs: number): number {
  return Math.max(MIN_INBOX_RETENTION_MS, unsignedMaxAgeMs(windowMs) + MAX_FUTURE_SKEW_MS);
}

export type Freshness = { ok: true } | { ok: false; reason: string };

/** Whether a request stamped `at` may be accepted `now` with requests up to maxAgeMs old. */
export function freshness(what: string, at: Date, now: Date, maxAgeMs: number): Freshness {
  const age = now.getTime() - at.getTime();
  if (!Number.isFinite(age)) return { ok: false, reason: `${what} is not a time` };
  if (age > maxAgeMs)
    return {
      ok: false,
      reason: `${what} ${at.toISOString()} is more than ${maxAgeMs / 1000} s old: refused as a replay (the window is FEISHU_REPLAY_WINDOW_SECONDS)`,
    };
  if (-age > MAX_FUTURE_SKEW_MS)
    return { ok: false, reason: `${what} ${at.toISOString()} is more than ${MAX_FUTURE_SKEW_MS / 1000} s in the future: check this machine's clock` };
  return { ok: true };
}

/** X-Lark-Request-Timestamp: Unix seconds (milliseconds also read, by their length). */
export function parseRequestTimestamp(v: string): Date | undefined {
  if (!/^\d{1,16}$/.test(v)) return undefined;
  const n = Number(v);
  return new Date(v.length >= 13 ? n : n * 1000);
}
