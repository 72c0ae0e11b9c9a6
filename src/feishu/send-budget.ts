import type { FeishuClient } from '../port/feishu-client.js';

/**
 * Caps the Feishu API calls of one invocation. On Workers the free plan allows 50
 * subrequests per invocation; past that every fetch fails, and retrying within the same
 * invocation would only use up the messages' attempts. Beyond the budget a message is
 * declined as a retry after `retryAfterMs`, which the next invocation (the next cron run)
 * picks up; the other calls fail with a clear error.
 */
export function withSendBudget(client: FeishuClient, budget: number, retryAfterMs: number): FeishuClient {
  let left = budget;
  const spend = () => {
    if (left <= 0) return false;
    left -= 1;
    return true;
  };
  const exhausted = 'send budget of this invocation used up';
  const guarded =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      spend() ? call(...args) : Promise.reject(new Error(exhausted));
  return {
    mode: client.mode,
    botOpenId: () => client.botOpenId(),
    async send(message) {
      // Put off, not tried: it must not use up one of the message's attempts.
      if (!spend()) return { ok: false, permanent: false, error: exhausted, retryAfterMs, notSent: true };
      return client.send(message);
    },
    lookupUserIds: guarded((query) => client.lookupUserIds(query)),
    downloadMessageResource: guarded((messageId, fileKey, limits) => client.downloadMessageResource(messageId, fileKey, limits)),
    uploadFile: guarded((file) => client.uploadFile(file)),
  };
}
