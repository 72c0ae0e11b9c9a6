import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { DEFAULT_CAST, p2pChatId } from '../../src/playground/cast.js';
import { tempDir } from '../helpers/harness.js';
import { messageEvent } from '../helpers/payloads.js';

const entry = ['--import', 'tsx', 'src/entry.node.ts'];

/** An address of this machine other than loopback, to see whether the service answers there. */
const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

async function health(host: string, port: number): Promise<{ status: string; mode: string } | undefined> {
  try {
    const res = await fetch(`http://${host}:${port}/healthz`);
    return res.ok ? ((await res.json()) as { status: string; mode: string }) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `npm start`'s entry with this environment and waits until it answers on 127.0.0.1 or `host`. */
async function startService(env: Record<string, string>, host = '127.0.0.1') {
  const dir = tempDir();
  const port = 41000 + Math.floor(Math.random() * 10000);
  const child: ChildProcess = spawn(process.execPath, entry, {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), DATABASE_PATH: join(dir.path, 'nested', 'duban.sqlite'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = { port, out: '', ready: undefined as Awaited<ReturnType<typeof health>>, async stop() {} };
  child.stdout!.on('data', (d) => (service.out += d));
  child.stderr!.on('data', (d) => (service.out += d));
  service.stop = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    dir.remove();
  };
  for (let i = 0; i < 200 && !service.ready; i++) {
    service.ready = await health(host, port);
    if (!service.ready) await new Promise((r) => setTimeout(r, 100));
  }
  return service;
}

const FEISHU_ENV = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 'secret', FEISHU_ENCRYPT_KEY: 'key', FEISHU_BASE_URL: 'http://127.0.0.1:9' };

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
    const svc = await startService({});
    try {
      expect(svc.ready).toEqual({ status: 'ok', db: 'ok', mode: 'local' });
      expect(svc.out.split('\n').filter((l) => l.includes('local mode'))).toHaveLength(1);
      expect(svc.out).toContain(`http://127.0.0.1:${svc.port}/playground`);
      // The door stays signed: the playground's keys are made for the run, so an unsigned event is refused.
      const unsigned = await fetch(`http://127.0.0.1:${svc.port}/feishu/events`, {
        method: 'POST',
        body: JSON.stringify(messageEvent({ text: '/help' })),
        headers: { 'content-type': 'application/json' },
      });
      expect(unsigned.status).toBe(401);
      const res = await fetch(`http://127.0.0.1:${svc.port}/playground/api/say`, {
        method: 'POST',
        body: JSON.stringify({ chatId: p2pChatId(DEFAULT_CAST[0]!.openId), from: DEFAULT_CAST[0]!.openId, text: '/help' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      for (let i = 0; i < 200 && !svc.out.includes('/help（帮助）'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(svc.out).toContain('[local] message to reply to');
      expect(svc.out).toContain('/help（帮助）');
      // It takes unsigned requests, so it answers on this machine only.
      expect(svc.out).toMatch(/duban listening host=127\.0\.0\.1 /);
      if (otherAddress) expect(await health(otherAddress, svc.port)).toBeUndefined();
    } finally {
      await svc.stop();
    }
  });

  it('listens on every interface once Feishu credentials are set', async () => {
    const svc = await startService(FEISHU_ENV);
    try {
      expect(svc.ready?.mode).toBe('feishu');
      expect(svc.out).not.toMatch(/duban listening host=127\.0\.0\.1 /);
      if (otherAddress) expect((await health(otherAddress, svc.port))?.status).toBe('ok');
    } finally {
      await svc.stop();
    }
  });

  it.skipIf(!otherAddress)('listens where HOST says, in local mode too', async () => {
    const svc = await startService({ HOST: '0.0.0.0' }, otherAddress);
    try {
      expect(svc.ready?.mode).toBe('local');
      expect(svc.out).toMatch(/duban listening host=0\.0\.0\.0 /);
    } finally {
      await svc.stop();
    }
  });

  it('reads HOST: loopback by default in local mode, every interface in Feishu mode, as set otherwise', () => {
    expect(parseConfig({}).host).toBe('127.0.0.1');
    expect(parseConfig(FEISHU_ENV).host).toBeUndefined();
    expect(parseConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(parseConfig({ ...FEISHU_ENV, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(parseConfig({ HOST: '[::1]' }).host).toBe('::1');
    expect(() => parseConfig({ HOST: 'http://example.com' })).toThrow(/Invalid setting HOST/);
  });
});
