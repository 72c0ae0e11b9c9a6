import { describe, expect, it } from 'vitest';
import { allMeasures, formatIssue } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { decodeText, parseCsv } from '../../src/ledger-io/spreadsheet.js';
import { fixture, SAMPLE_LEDGERS } from './fixtures.js';

const ctx = { referenceDate: '2024-09-14' };
const parse = (name: string, bytes = fixture(name)) => parseLedgerFile(name, bytes, ctx);
const csv = (text: string) => new TextEncoder().encode(text);

/** What must be identical whatever the file format: codes, texts, people and deadlines. */
function essence(ledger: Awaited<ReturnType<typeof parse>>) {
  return ledger.categories.map((c) => ({
    title: c.title,
    problems: c.problems.map((p) => ({ title: p.title, measures: p.measures.map(({ ref: _ref, ...m }) => m) })),
  }));
}

const HARD_DEADLINES = [
  ['dated', '2024-12-31'],
  ['dated', '2024-12-31'],
  ['dated', '2024-12-31'],
  ['dated', '2024-12-31'],
  ['dated', '2024-12-31'],
  ['dated', '2024-12-31'],
  ['dated', '2025-06-30'],
  ['dated', '2025-06-30'],
  ['dated', '2025-12-31'],
  ['immediate', undefined],
  ['ongoing', undefined],
  ['immediate_ongoing', undefined],
  ['immediate_ongoing', undefined],
];

describe('spreadsheet ledgers', () => {
  it('reads the three sample files to the same ledger', async () => {
    const [xlsx, utf8, gbk] = await Promise.all(SAMPLE_LEDGERS.map((f) => parse(f)));
    for (const l of [xlsx!, utf8!, gbk!]) {
      expect(l.errors).toEqual([]);
      expect(l.warnings).toEqual([]);
      expect(allMeasures(l)).toHaveLength(43);
      expect(l.categories).toHaveLength(5);
    }
    expect(essence(utf8!)).toEqual(essence(xlsx!));
    expect(essence(gbk!)).toEqual(essence(xlsx!));
    const first = allMeasures(xlsx!)[0]!;
    expect(first).toMatchObject({
      code: '1.1.1',
      leaderName: '党组书记',
      department: '办公室',
      ownerName: '办公室主任',
      deadline: { kind: 'immediate_ongoing', text: '立行立改、长期坚持' },
      completionStandard: '每次党组会落实“第一议题”学习',
    });
    expect(allMeasures(xlsx!).find((m) => m.code === '1.2.4')!.deadline).toEqual({ kind: 'dated', dueDate: '2025-03-31', text: '2025年3月底前' });
  });

  it('finds the header below title rows, accepts aliases, follows merged cells and skips spacer and total rows', async () => {
    const l = await parse('hard-ledger.xlsx');
    expect(l.errors).toEqual([]);
    const ms = allMeasures(l);
    expect(ms.map((m) => m.code)).toEqual([
      '1.1.1',
      '1.1.2',
      '1.2.1',
      '1.2.2',
      '2.1.1',
      '2.1.2',
      '2.1.3',
      '2.2.1',
      '2.2.2',
      '3.1.1',
      '3.1.2',
      '3.2.1',
      '3.2.2',
    ]);
    expect(l.categories.map((c) => c.title)).toEqual(['理论学习不深入方面', '经费管理不规范方面', '作风建设有差距方面']);
    expect(l.categories[1]!.problems.map((p) => p.title)).toEqual(['支出审批不严格', '采购程序不规范']);
    expect(ms.map((m) => [m.deadline.kind, m.deadline.dueDate])).toEqual(HARD_DEADLINES);
    // The Excel date cell becomes a date; aliases fill the same fields as the usual names.
    expect(ms[0]).toMatchObject({
      department: '办公室',
      leaderName: '党组书记',
      ownerName: '张三',
      ownerContact: '13800000001',
      coDepartments: '宣教部',
      completionStandard: '制度印发',
    });
    // The note row at the bottom is reported, not silently dropped; the other sheet is mentioned.
    expect(l.warnings.map(formatIssue).join('\n')).toContain('填表说明');
    expect(l.warnings.map(formatIssue).join('\n')).toContain('只读取了“台账”');
  });

  it('reads the same messy ledger saved as GB18030 CSV with blank cells meaning "same as above"', async () => {
    const bytes = fixture('hard-ledger-gb18030.csv');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const l = await parse('hard-ledger-gb18030.csv', bytes);
    expect(l.errors).toEqual([]);
    const xlsx = await parse('hard-ledger.xlsx');
    expect(essence(l)).toEqual(
      essence(xlsx).map((c) => ({
        ...c,
        problems: c.problems.map((p) => ({
          ...p,
          measures: p.measures.map((m) => (m.code === '1.1.1' ? { ...m, deadline: { ...m.deadline, text: '2024-12-31' } } : m)),
        })),
      })),
    );
  });

  it('decodes UTF-8 with and without BOM and GB18030', () => {
    const text = '编号,问题\r\n1.1.1,“第一议题”\r\n';
    const utf8 = new TextEncoder().encode(text);
    expect(decodeText(utf8)).toBe(text);
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toBe(text);
    expect(decodeText(fixture('hulin-union-ledger-gbk.csv'))).toBe(decodeText(fixture('hulin-union-ledger.csv')));
  });

  it('parses quoted CSV fields with commas, quotes and line breaks', () => {
    const rows = parseCsv('a,"b, ""c""\nd",e\r\n1,2,3');
    expect(rows.map((r) => r.cells)).toEqual([
      ['a', 'b, "c"\nd', 'e'],
      ['1', '2', '3'],
    ]);
    expect(rows[1]!.number).toBe(3);
  });

  it('names the row and the cell of a deadline it cannot read', async () => {
    const l = await parse('bad-deadline.csv');
    expect(l.errors.map(formatIssue)).toEqual(['第5行（J5单元格）：无法识别的整改时限“尽快”']);
  });

  it('names a missing required column with its accepted names', async () => {
    const l = await parse('x.csv', csv('编号,问题,整改措施,整改时限\n1.1.1,问题甲,措施甲,2024-12-31\n'));
    expect(l.errors.map(formatIssue)).toEqual(['第1行：缺少必需的列“责任部门”（可用的列名：责任部门、牵头部门、牵头单位、责任单位）']);
  });

  it('reports a file without a header row, duplicate codes and bad codes', async () => {
    expect((await parse('x.csv', csv('随便写点什么\n没有表头\n'))).errors[0]!.message).toContain('没有找到表头行');
    const dup = await parse(
      'x.csv',
      csv('编号,问题,整改措施,责任部门,整改时限\n1.1.1,甲,措施一,办公室,2024-12-31\n1.1.1,甲,措施二,办公室,2024-12-31\nA-1,甲,措施三,办公室,2024-12-31\n'),
    );
    expect(dup.errors.map(formatIssue)).toEqual(['第3行：编号 1.1.1 与第2行重复', '第4行（A4单元格）：编号“A-1”不是有效的措施编号（应为数字和点，如 2.1.3）']);
  });

  it('derives codes from the order when there is no code column, taking the year of 12月底 from the campaign', async () => {
    const l = await parse('x.csv', csv('问题,整改措施,责任部门,整改时限\n甲,措施一,办公室,3月底\n,措施二,办公室,12月底\n乙,措施三,财务部,长期坚持\n'));
    expect(l.errors).toEqual([]);
    expect(allMeasures(l).map((m) => [m.code, m.deadline.dueDate ?? m.deadline.kind])).toEqual([
      ['1.1.1', '2025-03-31'],
      ['1.1.2', '2024-12-31'],
      ['1.2.1', 'ongoing'],
    ]);
  });

  it('refuses an unsupported file type in Chinese', async () => {
    const l = await parseLedgerFile('ledger.pages', new Uint8Array([1, 2, 3]), ctx);
    expect(l.errors[0]!.message).toContain('不支持的文件类型');
  });
});
