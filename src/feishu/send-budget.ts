import type { FeishuClient } from './client.js';

/**
 * Caps the messages one invocation sends. On Workers the free plan allows 50 subrequests per
 * invocation; past that every fetch fails, and retrying within the same invocation would
 * only use up the messages' attempts. Beyond the budget a send is declined as a retry after
 * `retryAfterMs`, which the next invocation (the next cron run) picks up.
 */
export function withSendBudget(client: FeishuClient, budget: number, retryAfterMs: number): FeishuClient {
  let left = budget;
  return {
    mode: client.mode,
    botOpenId: () => client.botOpenId(),
    async send(message) {
      if (left <= 0) return { ok: false, permanent: false, error: 'send budget of this invocation used up', retryAfterMs };
      left -= 1;
      return client.send(message);
    },
  };
}
