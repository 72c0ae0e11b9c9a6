/** Runs `src/entry.node.ts` as its own process, as `npm start` would, to kill and restart it. */
import { spawn, type ChildProcess } from 'node:child_process';

export { freePort } from './wrangler-dev.js';

export interface NodeProcess {
  child: ChildProcess;
  /** stdout and stderr so far */
  output(): string;
  /** resolves when the process has exited */
  exited(): Promise<unknown>;
}

/** Starts the service with exactly this environment and waits until /healthz answers on `port`. */
export async function startNodeProcess(env: Record<string, string>, port: number, timeoutMs = 20_000): Promise<NodeProcess> {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry.node.ts'], {
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
