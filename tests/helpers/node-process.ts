/** Runs `src/entry.node.ts` as its own process, as `npm start` would, to kill and restart it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach } from 'vitest';
import { startFakeFeishu } from './fake-feishu.js';
import type { FakeFeishu } from './fake-feishu.js';
import { signedRequest, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from './payloads.js';

export { freePort } from './wrangler-dev.js';

export interface NodeProcess {
  child: ChildProcess;
  /** stdout and stderr so far */
  output(): string;
  /** resolves when the process has exited */
  exited(): Promise<unknown>;
}

/**
 * Starts the service with exactly this environment and waits until /healthz answers on `port`.
 * `args` are node's arguments: the TypeScript source by default (the benchmark runs the build).
 */
export async function startNodeProcess(env: Record<string, string>, port: number, timeoutMs = 20_000, args = ['--import', 'tsx', 'src/entry.node.ts']): Promise<NodeProcess> {
  let out = '';
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise((resolve) => child.once('exit', resolve));
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, output: () => out, exited: () => done };
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`service did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The environment of a service process that talks to this fake Feishu in Feishu mode (signed, encrypted). */
export function feishuProcessEnv(fake: FakeFeishu, databasePath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_PATH: databasePath,
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_BASE_URL: fake.url,
    FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    WORK_LEASE_SECONDS: '1',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Signs and encrypts an event like the platform does and posts it to the process on `port`. */
export async function postToProcess(port: number, payload: unknown): Promise<Response> {
  const req = await signedRequest(payload);
  return fetch(`http://127.0.0.1:${port}/feishu/events`, { method: 'POST', body: req.body, headers: req.headers });
}

/**
 * For a describe block whose tests run the service as processes: a fresh fake Feishu per test,
 * and every process started through `start` killed after it.
 */
export function useServiceProcesses() {
  let fake: FakeFeishu | undefined;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    fake = await startFakeFeishu();
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await fake?.stop();
  });
  return {
    fake: () => fake!,
    async start(env: Record<string, string>, port: number): Promise<NodeProcess> {
      const p = await startNodeProcess(env, port);
      children.push(p.child);
      return p;
    },
  };
}
