/** Runs the built service as its own process, as `npm start` does, to kill and restart it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
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
 * The service as `npm start` runs it: built once per test worker (scripts/build.mjs) into a
 * folder of its own under the project root, removed when the worker exits.
 */
let built: Promise<string> | undefined;
function builtEntry(): Promise<string> {
  return (built ??= (async () => {
    const outdir = `dist-test-${process.pid}`;
    process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
    removeBuildsOfEndedRuns();
    // @ts-expect-error: a plain ES module of the project's scripts, without type declarations
    const { buildNodeService } = (await import('../../scripts/build.mjs')) as { buildNodeService(outdir: string): Promise<void> };
    await buildNodeService(outdir);
    return `${outdir}/entry.node.js`;
  })());
}

/** A test worker ended by its pool may skip its exit hook: folders of processes gone are removed here. */
function removeBuildsOfEndedRuns() {
  for (const name of readdirSync('.')) {
    const pid = /^dist-test-(\d+)$/.exec(name)?.[1];
    if (pid && !isRunning(Number(pid))) rmSync(name, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts the service with exactly this environment and waits until /healthz answers on `port`.
 * `args` are node's arguments: the bundle built for tests by default.
 */
export async function startNodeProcess(env: Record<string, string>, port: number, timeoutMs = 20_000, args?: string[]): Promise<NodeProcess> {
  let out = '';
  const child = spawn(process.execPath, args ?? ['--enable-source-maps', await builtEntry()], {
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
