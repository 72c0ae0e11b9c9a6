import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createFixedClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import type { ServiceDeps } from '../../src/deps.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { silentLogger } from '../../src/logger.js';
import { tempDir } from '../helpers/harness.js';

export const FIXTURES = join(import.meta.dirname, '../fixtures/ledger');
export const fixture = (name: string): Uint8Array => readFileSync(join(FIXTURES, name));
export const fixturePath = (name: string): string => join(FIXTURES, name);

export const SAMPLE_LEDGERS = ['hulin-union-ledger.xlsx', 'hulin-union-ledger.csv', 'hulin-union-ledger-gbk.csv'] as const;
export const SAMPLE_NOTICE = 'hulin-union-progress-report-2024.txt';

/** A fresh SQLite file with migrations and ServiceDeps on a fixed clock, per test. */
export function useServiceDeps(clockStart: string): { readonly deps: ServiceDeps } {
  const state = {} as { deps: ServiceDeps; dir: ReturnType<typeof tempDir>; database: ReturnType<typeof openNodeDatabase> };
  beforeEach(() => {
    state.dir = tempDir();
    const config = parseConfig({ DATABASE_PATH: `${state.dir.path}/t.sqlite` });
    state.database = openNodeDatabase(config.databasePath);
    state.deps = { db: state.database.db, clock: createFixedClock(clockStart), log: silentLogger, config };
  });
  afterEach(() => {
    state.database.close();
    state.dir.remove();
  });
  return {
    get deps() {
      return state.deps;
    },
  };
}
