/** The Workers entry refuses to run on a bad setting, saying which one, and says it once. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker, { type WorkerEnv } from '../../src/entry.worker.js';

describe('Workers entry configuration', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers 500 naming the bad variable, logged once per isolate', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const env = { DB: undefined, TIMEZONE: 'Mars/Olympus_Mons', FEISHU_BASE_URL: 'https://open.feishu.cn' } as unknown as WorkerEnv;
    const ctx = { waitUntil() {} };
    for (let i = 0; i < 2; i++) {
      const res = await worker.fetch(new Request('https://duban.example.workers.dev/healthz'), env, ctx);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).toContain('TIMEZONE');
      expect(text).toContain('expected an IANA time zone');
      expect(text).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]![0])).toContain('Invalid setting TIMEZONE');
  });
});
