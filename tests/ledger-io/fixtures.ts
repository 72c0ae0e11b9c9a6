import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../fixtures/ledger');
export const fixture = (name: string): Uint8Array => readFileSync(join(FIXTURES, name));
export const fixturePath = (name: string): string => join(FIXTURES, name);

export const SAMPLE_LEDGERS = ['hulin-union-ledger.xlsx', 'hulin-union-ledger.csv', 'hulin-union-ledger-gbk.csv'] as const;
export const SAMPLE_NOTICE = 'hulin-union-progress-report-2024.txt';
