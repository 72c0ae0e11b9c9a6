/**
 * Runs the Workers build under `wrangler dev` (local workerd, local D1 in a temporary
 * directory) as a child process. Nothing reaches Cloudflare: no login, no metrics, no
 * `Request.cf` download.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from './harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));
const STARTUP_TIMEOUT_MS = 90_000;
const OUTPUT_KEPT = 1_000_000;

/** The child's environment: ours, minus anything that could point wrangler at an account. */
export function offlineWranglerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(CLOUDFLARE_|CF_)/.test(k)) env[k] = v;
  return {
    ...env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function wrangler(args: string[], what: string, config = CONFIG): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [WRANGLER, ...args, '--config', config], {
      cwd: ROOT,
      env: offlineWranglerEnv(),
      timeout: 60_000,
    });
    return stdout + stderr;
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${what} failed: ${out.message}\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  }
}

/** `wrangler d1 migrations apply DB --local`: the same step `npm run dev:worker` and deployment run. */
export function applyLocalMigrations(persistTo: string, config = CONFIG): Promise<string> {
  return wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], 'wrangler d1 migrations apply', config);
}

/** Runs SQL on the local D1 (before wrangler dev starts on it). */
export function executeLocalSql(persistTo: string, file: string, config = CONFIG): Promise<string> {
  return wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', file], 'wrangler d1 execute', config);
}

export interface WranglerDev {
  url: string;
  /** What wrangler and the Worker printed so far (the tail). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev --local` with these variables on a fresh local D1 (migrated, then
 * `seedSql` run on it when given) and waits until /healthz answers. `config` is another wrangler
 * configuration than wrangler.toml (tests/workers/wrangler.r2.toml binds an R2 bucket).
 */
export async function startWranglerDev(vars: Record<string, string>, o: { seedSql?: string; config?: string } = {}): Promise<WranglerDev> {
  const config = o.config ?? CONFIG;
  const state = tempDir('duban-d1-');
  let output = '';
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      // wrangler runs workerd as its own child: end the whole group this test started.
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child!, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    state.remove();
  };

  try {
    const persistTo = join(state.path, 'state');
    output += await applyLocalMigrations(persistTo, config);
    if (o.seedSql) {
      const file = join(state.path, 'seed.sql');
      writeFileSync(file, o.seedSql);
      output += await executeLocalSql(persistTo, file, config);
    }
    const port = await freePort();
    const inspectorPort = await freePort();
    const args = [
      WRANGLER,
      'dev',
      '--config',
      config,
      '--local',
      '--persist-to',
      persistTo,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--test-scheduled',
      '--show-interactive-dev-session=false',
      '--var',
      ...Object.entries(vars).map(([k, v]) => `${k}:${v}`),
    ];
    child = spawn(process.execPath, args, { cwd: ROOT, env: offlineWranglerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = child;
    // If the test process dies without teardown, do not leave workerd running.
    process.once('exit', () => killGroup(started, 'SIGKILL'));
    const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilHealthy(url, child, () => output);
    return { url, output: () => output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function waitUntilHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode}) before it served requests\n--- wrangler output ---\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer /healthz within ${STARTUP_TIMEOUT_MS / 1000} s\n--- wrangler output ---\n${output()}`);
}
