/** FEISHU_EVENT_MODE and FEISHU_WS_UNHEALTHY_AFTER_SECONDS: parsed once, refused with one clear line. */
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import worker, { type WorkerEnv } from '../../src/entry.worker.js';

const APP = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 'secret' };

function refusal(env: Record<string, string>, runtime?: 'node' | 'workers'): ConfigError {
  try {
    parseConfig(env, runtime);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('event mode settings', () => {
  it('defaults to the webhook, unhealthy after 60 s in websocket mode', () => {
    const c = parseConfig({});
    expect(c.feishu.eventMode).toBe('webhook');
    expect(c.feishu.wsUnhealthyAfterMs).toBe(60_000);
    expect(parseConfig({ ...APP, FEISHU_EVENT_MODE: 'websocket', FEISHU_WS_UNHEALTHY_AFTER_SECONDS: '90' }).feishu).toMatchObject({
      eventMode: 'websocket',
      wsUnhealthyAfterMs: 90_000,
    });
  });

  it('needs no Encrypt Key or Verification Token for the long connection, as the webhook does', () => {
    expect(parseConfig({ ...APP, FEISHU_EVENT_MODE: 'websocket' }).mode).toBe('feishu');
    expect(refusal(APP).variable).toBe('FEISHU_ENCRYPT_KEY');
  });

  it.each([
    [{ FEISHU_EVENT_MODE: 'ws' }, 'FEISHU_EVENT_MODE', 'expected webhook or websocket'],
    [{ FEISHU_EVENT_MODE: 'websocket' }, 'FEISHU_APP_ID', 'required when FEISHU_EVENT_MODE is websocket'],
    [{ ...APP, FEISHU_APP_ID: 'cli_app', FEISHU_EVENT_MODE: 'websocket' }, 'FEISHU_APP_ID', 'cli_ followed by 16 hexadecimal digits'],
    [{ ...APP, FEISHU_EVENT_MODE: 'websocket', FEISHU_WS_UNHEALTHY_AFTER_SECONDS: '0' }, 'FEISHU_WS_UNHEALTHY_AFTER_SECONDS', 'at least 1 second'],
    [{ ...APP, FEISHU_EVENT_MODE: 'websocket', FEISHU_WS_UNHEALTHY_AFTER_SECONDS: '1m' }, 'FEISHU_WS_UNHEALTHY_AFTER_SECONDS', 'whole number of seconds'],
  ])('refuses %o naming %s', (env, variable, expected) => {
    const e = refusal(env);
    expect(e.variable).toBe(variable);
    expect(e.message).toContain(expected);
  });

  it('refuses websocket mode on Workers, which has no long-running process', async () => {
    const e = refusal({ ...APP, FEISHU_EVENT_MODE: 'websocket' }, 'workers');
    expect(e.variable).toBe('FEISHU_EVENT_MODE');
    expect(e.message).toContain('Cloudflare Workers');
    expect(parseConfig({ ...APP, FEISHU_ENCRYPT_KEY: 'k' }, 'workers').feishu.eventMode).toBe('webhook');

    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const env = { DB: undefined, ...APP, FEISHU_EVENT_MODE: 'websocket' } as unknown as WorkerEnv;
    const res = await worker.fetch(new Request('https://duban.example.workers.dev/healthz'), env, { waitUntil() {} });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('FEISHU_EVENT_MODE');
    errors.mockRestore();
  });
});
