import { describe, expect, it } from 'vitest';
import { allMeasures } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { parseCsv } from '../../src/ledger-io/spreadsheet.js';
import { maxSheetRows } from '../../src/ledger-io/xlsx-rows.js';
import { ledgerCsv, ledgerXlsx } from './ledger-files.js';
import { fixture } from './fixtures.js';

const ctx = (maxRows: number) => ({ referenceDate: '2024-09-14', maxRows });

describe('the row limit (IMPORT_MAX_ROWS)', () => {
  it('reads a spreadsheet with exactly the limit of measures', async () => {
    for (const [name, bytes] of [
      ['a.csv', ledgerCsv(200)],
      ['a.xlsx', await ledgerXlsx(200)],
    ] as const) {
      const l = await parseLedgerFile(name, bytes, ctx(200));
      expect(l.errors).toEqual([]);
      expect(allMeasures(l)).toHaveLength(200);
    }
  });

  it('refuses a spreadsheet with one measure more, naming the limit and keeping nothing', async () => {
    for (const [name, bytes] of [
      ['a.csv', ledgerCsv(201)],
      ['a.xlsx', await ledgerXlsx(201)],
    ] as const) {
      const l = await parseLedgerFile(name, bytes, ctx(200));
      expect(l.categories).toEqual([]);
      expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('文件中有201条整改措施，超出一次最多导入200条整改措施的上限')]);
    }
  });

  it('stops reading a spreadsheet far above the limit', async () => {
    for (const [name, bytes] of [
      ['a.csv', ledgerCsv(3000)],
      ['a.xlsx', await ledgerXlsx(3000)],
    ] as const) {
      const l = await parseLedgerFile(name, bytes, ctx(100));
      expect(l.categories).toEqual([]);
      expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('文件的数据行超过100行，已停止读取，超出一次最多导入100条整改措施的上限')]);
    }
  });

  it('stops splitting a CSV into rows past the cap (blank lines do not count)', () => {
    const text = new TextDecoder().decode(ledgerCsv(3000)).replace(/\n/g, '\n\n');
    const rows = parseCsv(text, 100);
    expect(rows.filter((r) => r.cells.some((c) => c !== undefined))).toHaveLength(101);
    expect(rows.length).toBeLessThan(300);
  });

  it('counts the rows of a workbook without loading it, stopping past the cap', async () => {
    const bytes = await ledgerXlsx(3000);
    expect(await maxSheetRows(bytes, 100)).toBe(101);
    expect(await maxSheetRows(bytes, 5000)).toBe(3001);
    expect(await maxSheetRows(fixture('hard-ledger.xlsx'), 5000)).toBeGreaterThan(10);
    expect(await maxSheetRows(new Uint8Array([1, 2, 3]), 10)).toBeUndefined();
  });

  it('refuses a document with more measures than the limit', async () => {
    const l = await parseLedgerFile('notice.txt', fixture('hulin-union-progress-report-2024.txt'), ctx(10));
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('超出一次最多导入10条整改措施的上限')]);
  });
});
