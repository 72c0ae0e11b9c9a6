import type { SendOutcome } from '../port/feishu-client.js';

/** Platform codes that mean "slow down and try again" (message limits and the gateway). */
const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232, 1000004, 90217]);

/**
 * Codes that will not get better by retrying: the recipient or permission is wrong
 * (230002 bot not in chat, 230013 outside availability, 230035 muted, 230053 blocked...).
 */
const PERMANENT_CODES = new Set([
  230001, 230002, 230006, 230013, 230017, 230018, 230022, 230025, 230027, 230028, 230029, 230031, 230034, 230035, 230053, 230099, 230011, 230110, 232009,
  99991672, 99991401, 99991543, 10014, 41050,
  // Delayed card update: token malformed, expired (30 min), used up (2 uses); see 延时更新消息卡片.
  300020, 300030, 300040,
]);

export const TOKEN_INVALID_CODE = 99991663;

export interface PlatformFailure {
  httpStatus?: number;
  code?: number;
  msg?: string;
  /** seconds, from x-ogw-ratelimit-reset */
  resetSeconds?: number;
  network?: boolean;
}

export function classifyFailure(f: PlatformFailure): Extract<SendOutcome, { ok: false }> {
  const label = [f.httpStatus !== undefined ? `HTTP ${f.httpStatus}` : undefined, f.code !== undefined ? `code ${f.code}` : undefined, f.msg]
    .filter(Boolean)
    .join(' ');
  const error = label || (f.network ? 'network error' : 'unknown error');
  const retryAfterMs = f.resetSeconds !== undefined && Number.isFinite(f.resetSeconds) ? Math.max(0, f.resetSeconds * 1000) : undefined;
  const base = { ok: false as const, error, httpStatus: f.httpStatus, code: f.code };
  if ((f.code !== undefined && RATE_LIMIT_CODES.has(f.code)) || f.httpStatus === 429) return { ...base, permanent: false, retryAfterMs };
  if (f.code !== undefined && PERMANENT_CODES.has(f.code)) return { ...base, permanent: true };
  if (f.network || f.httpStatus === undefined || f.httpStatus >= 500) return { ...base, permanent: false };
  // Any other 4xx, or HTTP 200 with an unknown non-zero code: a request we built wrongly; retrying won't help.
  return { ...base, permanent: true };
}
