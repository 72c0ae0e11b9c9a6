/** What /healthz says about the long connection, from the events the client reports. */
import { describe, expect, it } from 'vitest';
import { createHealthTracker } from '../../src/feishu/ws-health.js';

function tracker(unhealthyAfterMs = 60_000) {
  let t = Date.parse('2026-12-02T00:00:00Z');
  const h = createHealthTracker({ unhealthyAfterMs, now: () => t });
  return { h, advance: (ms: number) => (t += ms) };
}

describe('long connection health', () => {
  it('is healthy while connecting, and unhealthy once never connected for the threshold', () => {
    const { h, advance } = tracker();
    expect(h.status()).toMatchObject({ state: 'connecting', healthy: true });
    advance(59_999);
    expect(h.status().healthy).toBe(true);
    advance(1);
    expect(h.status()).toMatchObject({ state: 'connecting', healthy: false, downSince: '2026-12-02T00:00:00.000Z' });
  });

  it('counts a socket as up only once a frame arrives on it', () => {
    const { h, advance } = tracker();
    h.opened();
    advance(70_000);
    expect(h.status()).toMatchObject({ state: 'connecting', healthy: false });
    expect(h.frame('control')).toBe(false); // the first connection is not a reconnect
    expect(h.status()).toMatchObject({ state: 'connected', healthy: true, downSince: undefined, connectedSince: '2026-12-02T00:00:00.000Z' });
  });

  it('stays down across reconnects to a server that never answers', () => {
    const { h, advance } = tracker();
    h.opened();
    h.frame('control');
    advance(1_000);
    h.closed();
    for (let i = 0; i < 10; i++) {
      advance(10_000);
      h.opened();
      expect(h.status().state).toBe('reconnecting');
      advance(1_000);
      h.closed();
    }
    expect(h.status()).toMatchObject({ healthy: false, reconnects: 0, downSince: '2026-12-02T00:00:01.000Z' });
    h.opened();
    expect(h.frame('event')).toBe(true);
    expect(h.status()).toMatchObject({ state: 'connected', healthy: true, reconnects: 1 });
    expect(h.status().lastEventAt).toBe(h.status().lastFrameAt);
  });

  it('reports how long the open socket has been silent, and nothing once it closed', () => {
    const { h, advance } = tracker();
    expect(h.silentForMs()).toBeUndefined();
    h.opened();
    advance(5_000);
    expect(h.silentForMs()).toBe(5_000);
    h.frame('control');
    advance(2_000);
    expect(h.silentForMs()).toBe(2_000);
    h.closed('stopped');
    expect(h.silentForMs()).toBeUndefined();
    expect(h.status()).toMatchObject({ state: 'stopped', healthy: false });
  });
});
