/**
 * What the command-line tools share: the service's configuration (.env, then the environment),
 * the same SQLite file, and one-line errors instead of stack traces for mistakes a user can fix.
 */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { systemClock } from '../src/clock.js';
import { ConfigError, parseConfig, type AppConfig } from '../src/config.js';
import type { ServiceDeps } from '../src/deps.js';
import { createNodeLedgerParser, openNodeDatabase } from '../src/entry.node.js';
import type { FeishuClient } from '../src/port/feishu-client.js';
import { createSdkFeishuClient } from '../src/feishu/sdk-client.js';
import { createLogger } from '../src/logger.js';

/** A mistake in how the tool was called or in its input: shown as one line, exit code 1. */
export class CliError extends Error {}

export interface CliContext {
  deps: ServiceDeps;
  feishu?: FeishuClient;
  close(): void;
}

export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(usage: string, options: T) {
  try {
    return parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message : String(e)}\n用法：${usage}`);
  }
}

export function openCli(): CliContext {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message);
    throw e;
  }
  // Logs go to stderr so the summary on stdout stays clean.
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn', (line) => console.error(line));
  const database = openNodeDatabase(config.databasePath);
  const feishu =
    config.mode === 'feishu'
      ? createSdkFeishuClient({ appId: config.feishu.appId!, appSecret: config.feishu.appSecret!, baseUrl: config.feishu.baseUrl, log })
      : undefined;
  return { deps: { db: database.db, clock: systemClock, log, config, parseLedger: createNodeLedgerParser(log) }, feishu, close: database.close };
}

/** Runs a tool: a CliError prints one line; anything else prints its message (no stack) too. */
export function runCli(name: string, main: () => Promise<number>): void {
  main()
    .then((code) => process.exit(code))
    .catch((e) => {
      const message = e instanceof Error ? e.message : String(e);
      console.error(`${name}: ${message}`);
      if (!(e instanceof CliError) && process.env.DEBUG) console.error(e);
      process.exit(1);
    });
}
