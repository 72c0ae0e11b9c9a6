import { describe, expect, it } from 'vitest';
import { createNodeLedgerParser } from '../../src/entry.node.js';
import type { ParsedLedger } from '../../src/ledger-io/ledger.js';
import type { ParseContext } from '../../src/ledger-io/parse-context.js';
import type { Logger } from '../../src/logger.js';
import {
  createWorkerLedgerParser,
  DEFAULT_PARSE_MEMORY_MB,
  type WorkerLedgerParser,
  type WorkerParserOptions,
} from '../../src/runtime/worker-ledger-parser.js';
import { captureLogger } from '../helpers/harness.js';
import { createManualClock } from '../helpers/manual-clock.js';
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

  it('refuses the file when the parser throws', async () => {
    const parse = createNodeLedgerParser(captureLogger());
    // A parser fault: a deadline without a year needs the reference date, which is missing.
    const csv = new TextEncoder().encode('问题,整改措施,责任部门,整改时限\n问题一,措施一,办公室,12月底\n');
    const l = await parse('台账.csv', csv, {} as ParseContext);
    expect(l.categories).toEqual([]);
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('读取这个文件时出错，本次未导入任何内容')]);
  });

  it('refuses the file when parsing takes longer than the time limit', async () => {
    const parse = createNodeLedgerParser(captureLogger(), { timeoutMs: 1 });
    const l = await parse('台账.csv', ledgerCsv(30), { referenceDate: '2024-09-14' });
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('读取文件超过了0秒的时间上限')]);
  });
});

describe('the warm ledger parse thread', () => {
  const ctx = { referenceDate: '2024-09-14', maxRows: 100 };
  const csv = ledgerCsv(30);
  const FAILING_WORKER = new URL('./fixtures/failing-ledger.worker.ts', import.meta.url);
  /** the ids of the threads started */
  const started = (parse: WorkerLedgerParser) => parse.threads().started;
  const parser = (log: Logger, o: Partial<WorkerParserOptions> = {}) =>
    createWorkerLedgerParser({ workerUrl: FAILING_WORKER, maxMemoryMb: DEFAULT_PARSE_MEMORY_MB, timeoutMs: 20_000, log, ...o });
  const readsFine = (l: ParsedLedger) => {
    expect(l.errors).toEqual([]);
    expect(l.categories[0]!.problems).toHaveLength(3);
  };

  it('reads two files one after the other on the same thread', async () => {
    const log = captureLogger();
    const parse = createNodeLedgerParser(log);
    readsFine(await parse('台账一.csv', csv, ctx));
    readsFine(await parse('台账二.csv', csv, ctx));
    expect(started(parse)).toHaveLength(1);
    await parse.close();
  });

  it('starts the thread when told a file is coming, and the file then uses it', async () => {
    const log = captureLogger();
    const parse = createNodeLedgerParser(log);
    parse.prewarm();
    expect(started(parse)).toHaveLength(1);
    readsFine(await parse('台账.csv', csv, ctx));
    expect(started(parse)).toHaveLength(1);
    await parse.close();
  });

  it('refuses a file in Chinese when its thread dies mid-parse, and reads the next file on a new thread', async () => {
    const log = captureLogger();
    const parse = parser(log);
    readsFine(await parse('台账.csv', csv, ctx));
    const l = await parse('exit-台账.csv', csv, ctx);
    expect(l.categories).toEqual([]);
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('读取这个文件时出错，本次未导入任何内容')]);
    readsFine(await parse('台账.csv', csv, ctx));
    const ids = started(parse);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    await parse.close();
  });

  it('replaces the thread after the time limit ends a parse', async () => {
    const log = captureLogger();
    const clock = createManualClock('2026-03-02T01:00:00Z');
    const parse = parser(log, { timeoutMs: 5_000, clock });
    readsFine(await parse('台账.csv', csv, ctx));
    const hanging = parse('hang-台账.csv', csv, ctx);
    await clock.advance(5_000);
    const l = await hanging;
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('读取文件超过了5秒的时间上限')]);
    readsFine(await parse('台账.csv', csv, ctx));
    expect(started(parse)).toHaveLength(2);
    await parse.close();
  });

  it('replaces the thread after the parser throws', async () => {
    const log = captureLogger();
    const parse = parser(log);
    const bad = new TextEncoder().encode('问题,整改措施,责任部门,整改时限\n问题一,措施一,办公室,12月底\n');
    expect((await parse('台账.csv', bad, {} as ParseContext)).errors).toHaveLength(1);
    readsFine(await parse('台账.csv', csv, ctx));
    expect(started(parse)).toHaveLength(2);
    await parse.close();
  });

  it('replaces the thread after its quota of files, and when it sat idle', async () => {
    const log = captureLogger();
    const clock = createManualClock('2026-03-02T01:00:00Z');
    const parse = parser(log, { maxParsesPerThread: 2, idleMs: 300, clock });
    readsFine(await parse('台账.csv', csv, ctx));
    readsFine(await parse('台账.csv', csv, ctx));
    expect(started(parse)).toHaveLength(1);
    readsFine(await parse('台账.csv', csv, ctx));
    expect(started(parse)).toHaveLength(2);
    const idle = parse.threads().warm;
    await clock.advance(299);
    expect(parse.threads().warm).toBe(idle);
    await clock.advance(1);
    expect(parse.threads().warm).toBeUndefined();
    readsFine(await parse('台账.csv', csv, ctx));
    expect(started(parse)).toHaveLength(3);
    await parse.close();
  });

  it('reads two files at once, each on a thread of its own, and keeps one', async () => {
    const log = captureLogger();
    const parse = parser(log);
    const [a, b] = await Promise.all([parse('台账一.csv', csv, ctx), parse('台账二.csv', csv, ctx)]);
    readsFine(a);
    readsFine(b);
    expect(started(parse)).toHaveLength(2);
    readsFine(await parse('台账三.csv', csv, ctx));
    expect(started(parse)).toHaveLength(2);
    await parse.close();
  });

  it('as the service runs it, has a fresh thread ready after one died mid-parse, and after one sat idle', async () => {
    const log = captureLogger();
    const clock = createManualClock('2026-03-02T01:00:00Z');
    const parse = parser(log, { keepWarm: true, idleMs: 300, clock });
    parse.prewarm();
    expect(started(parse)).toHaveLength(1);
    expect((await parse('exit-台账.csv', csv, ctx)).errors).toHaveLength(1);
    expect(started(parse)).toHaveLength(2);
    readsFine(await parse('台账.csv', csv, ctx));
    expect(started(parse)).toHaveLength(2);
    await clock.advance(300);
    expect(started(parse)).toHaveLength(3);
    expect(parse.threads().warm).toBe(started(parse)[2]);
    // The fresh thread has read nothing: it waits as it is, however long.
    await clock.advance(24 * 3600_000);
    expect(started(parse)).toHaveLength(3);
    expect(parse.threads().warm).toBe(started(parse)[2]);
    readsFine(await parse('台账.csv', csv, ctx));
    expect(started(parse)).toHaveLength(3);
    await parse.close();
  });

  it('refuses a parse in flight when the service closes', async () => {
    const log = captureLogger();
    const parse = parser(log);
    const pending = parse('hang-台账.csv', csv, ctx);
    await parse.close();
    expect((await pending).errors.map((e) => e.message)).toEqual([expect.stringContaining('读取这个文件时出错，本次未导入任何内容')]);
  });
});
