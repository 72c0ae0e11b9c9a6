import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/harness.js';
import { messageEvent } from '../helpers/payloads.js';

const entry = ['--import', 'tsx', 'src/entry.node.ts'];

describe('starting the service', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ FEISHU_BASE_URL: 'open.feishu.cn/api' }, 'FEISHU_BASE_URL'],
    [{ TIMEZONE: 'Mars/Olympus' }, 'TIMEZONE'],
    [{ FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718' }, 'FEISHU_APP_SECRET'],
  ])('refuses %o with one line naming %s and exit code 1', (env, variable) => {
    const r = spawnSync(process.execPath, entry, { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Invalid setting ${variable}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs in local mode without credentials: says so, creates the database, and logs replies readably', async () => {
    const dir = tempDir();
    const port = 41000 + Math.floor(Math.random() * 10000);
    const child = spawn(process.execPath, entry, {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), DATABASE_PATH: join(dir.path, 'nested', 'duban.sqlite') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      let health: { status: string; db: string; mode: string } | undefined;
      for (let i = 0; i < 200 && !health; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (res.ok) health = (await res.json()) as typeof health;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(health).toEqual({ status: 'ok', db: 'ok', mode: 'local' });
      expect(out.split('\n').filter((l) => l.includes('local mode'))).toHaveLength(1);
      const res = await fetch(`http://127.0.0.1:${port}/feishu/events`, { method: 'POST', body: JSON.stringify(messageEvent({ text: '/help' })), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      for (let i = 0; i < 100 && !out.includes('[local] message'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('[local] message to reply to');
      expect(out).toContain('/help（帮助）');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      dir.remove();
    }
  });
});
