import { describe, expect, it } from 'vitest';
import { createNodeLedgerParser } from '../../src/entry.node.js';
import type { ParseContext } from '../../src/ledger-io/parse-context.js';
import { captureLogger } from '../helpers/harness.js';
import { ledgerCsv } from '../ledger-io/ledger-files.js';

describe('the ledger parse thread', () => {
  it('returns what the parser read', async () => {
    const parse = createNodeLedgerParser(captureLogger());
    const l = await parse('台账.csv', ledgerCsv(30), { referenceDate: '2024-09-14', maxRows: 100 });
    expect(l.errors).toEqual([]);
    expect(l.categories[0]!.problems).toHaveLength(3);
  });

  it('reads a document whose one paragraph runs to millions of characters within a small heap', async () => {
    const parse = createNodeLedgerParser(captureLogger(), { maxMemoryMb: 48 });
    const text = `（一）类别\n1、关于“问题”方面\n一是${'落实整改要求'.repeat(400_000)}。`;
    const l = await parse('整改方案.txt', new TextEncoder().encode(text), { referenceDate: '2024-09-14' });
    expect(l.errors).toEqual([]);
    expect(l.categories[0]!.problems[0]!.measures[0]!.text).toBe(`${'落实整改要求'.repeat(400_000)}。`);
  });

  it('refuses the file when the parser throws, and logs why', async () => {
    const log = captureLogger();
    const parse = createNodeLedgerParser(log);
    // A parser fault: a deadline without a year needs the reference date, which is missing.
    const csv = new TextEncoder().encode('问题,整改措施,责任部门,整改时限\n问题一,措施一,办公室,12月底\n');
    const l = await parse('台账.csv', csv, {} as ParseContext);
    expect(l.categories).toEqual([]);
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('读取这个文件时出错，本次未导入任何内容')]);
    expect(log.lines.join('\n')).toMatch(/ledger file parse failed .*TypeError|ledger file parse failed/);
  });

  it('refuses the file when parsing takes longer than the time limit', async () => {
    const parse = createNodeLedgerParser(captureLogger(), { timeoutMs: 1 });
    const l = await parse('台账.csv', ledgerCsv(30), { referenceDate: '2024-09-14' });
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('读取文件超过了0秒的时间上限')]);
  });
});
