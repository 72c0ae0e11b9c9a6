import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { measures, progressReports } from '../../db/schema.js';
import { buildLedgerWorkbook } from '../../src/ledger-io/export-xlsx.js';
import { allMeasures } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { buildProgressReportDocx, buildProgressReportMarkdown, redactPrivate, reportCounts } from '../../src/ledger-io/progress-report.js';
import { applyImport, previewImport } from '../../src/services/import.service.js';
import { loadLedgerView } from '../../src/services/ledger-export.service.js';
import { fixture, useServiceDeps } from './fixtures.js';

const ctx = useServiceDeps('2025-01-10T02:00:00Z');

async function importInto(campaignName: string, fileName: string, bytes: Uint8Array) {
  const { plan } = await previewImport(ctx.deps, { fileName, bytes, campaignName });
  return applyImport(ctx.deps, plan, 'import');
}

const essence = (ms: ReturnType<typeof allMeasures>) => ms.map((m) => [m.code, m.text, m.deadline.kind, m.deadline.dueDate ?? null, m.deadline.text]);

describe('export', () => {
  it.each([['hulin-union-ledger.xlsx'], ['hard-ledger.xlsx'], ['hulin-union-progress-report-2024.txt']])(
    'round-trips codes, texts and deadlines of %s through the exported workbook',
    async (name) => {
      const source = await parseLedgerFile(name, fixture(name), { referenceDate: '2024-09-14' });
      await importInto('原始', name, fixture(name));
      const bytes = await buildLedgerWorkbook(await loadLedgerView(ctx.deps, '原始'));
      const again = await parseLedgerFile('export.xlsx', bytes, { referenceDate: '2024-09-14' });
      expect(again.errors).toEqual([]);
      const expected = essence(allMeasures(source)).map((e) => (e[4] === '' ? [...e.slice(0, 4), e[2] === 'ongoing' ? '长期坚持' : e[4]] : e));
      expect(essence(allMeasures(again))).toEqual(expected);
      // Imported back into the same campaign, the export changes nothing.
      const s = await importInto('原始', 'export.xlsx', bytes);
      expect(s.changes).toMatchObject({ added: [], updated: [], missing: [] });
    },
  );

  it('writes 时限待定 for a measure whose source stated no deadline, in the workbook and the notice, and reads it back as such', async () => {
    await importInto('计划', 'plan-notice.md', fixture('plan-notice.md'));
    const view = await loadLedgerView(ctx.deps, '计划');
    const wb = new ExcelJS.Workbook();
    const bytes = await buildLedgerWorkbook(view);
    await wb.xlsx.load(bytes.buffer as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = ws.getRow(2).values as unknown[];
    const row = ws.getRows(3, ws.rowCount)!.find((r) => r.getCell(1).value === '1.1.1')!;
    expect(row.getCell(header.indexOf('整改时限')).value).toBe('时限待定');
    expect(buildProgressReportMarkdown(view)).toMatch(/一是建立理论学习中心组学习制度[^\n]*（正在推进，时限待定）/);
    const again = await parseLedgerFile('export.xlsx', bytes, { referenceDate: '2025-01-10' });
    expect(allMeasures(again).find((m) => m.code === '1.1.1')!.deadline).toEqual({ kind: 'unset', text: '' });
  });

  it('freezes the header, sizes columns and highlights overdue rows', async () => {
    await importInto('虎林', 'hulin-union-ledger.xlsx', fixture('hulin-union-ledger.xlsx'));
    const view = await loadLedgerView(ctx.deps, '虎林');
    const overdue = view.categories.flatMap((c) => c.problems.flatMap((p) => p.measures)).filter((m) => m.daysOverdue > 0);
    // 2025-01-10: everything due 2024-10-31 .. 2024-12-31 is overdue.
    expect(overdue.find((m) => m.code === '1.3.1')!.daysOverdue).toBe(71);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildLedgerWorkbook(view)).buffer as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.getColumn(4).width).toBeGreaterThan(30);
    const rowOf = (code: string) => ws.getRows(3, ws.rowCount)!.find((r) => r.getCell(1).value === code)!;
    expect((rowOf('1.3.1').getCell(4).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFDE2E1');
    expect(rowOf('1.3.1').getCell(17).value).toBe(71);
    expect((rowOf('1.2.1').getCell(4).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).not.toBe('FFFDE2E1'); // due 2025-06-30
  });
});

describe('progress report', () => {
  it('states the counts and lists measures with their latest progress, without contacts or ids', async () => {
    await importInto('样例', 'hard-ledger.xlsx', fixture('hard-ledger.xlsx'));
    const m1 = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '1.1.1')))[0]!;
    const m4 = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '3.1.2')))[0]!;
    await ctx.deps.db.update(measures).set({ status: 'closed', percent: 100, verifiedBy: 'ou_leader000000000000000001' }).where(eq(measures.id, m1.id));
    await ctx.deps.db.update(measures).set({ status: 'closed', percent: 100 }).where(eq(measures.id, m4.id));
    await ctx.deps.db.insert(progressReports).values([
      { measureId: m1.id, text: '旧的进展', source: 'command', createdAt: '2024-11-01T00:00:00Z' },
      {
        measureId: m1.id,
        text: '学习制度已印发，联系人张三 13800000001，邮箱 zhangsan@example.com，ou_abcdef1234567890',
        source: 'command',
        createdAt: '2024-12-01T00:00:00Z',
      },
    ]);
    const view = await loadLedgerView(ctx.deps, '样例');
    expect(reportCounts(view)).toEqual({ problems: 6, measures: 13, completed: 1, ongoingAchieved: 1, notCompleted: 11, completionRate: 15.4 });
    const md = buildProgressReportMarkdown(view);
    expect(md).toContain(
      '截至2025年1月10日，针对巡察反馈的3个方面6个问题，共制定13条整改措施，已完成整改1条，取得阶段性成果并需长期坚持1条，尚未完成11条，整改完成率15.4%',
    );
    expect(md).toContain('## （一）理论学习不深入方面');
    expect(md).toContain('### 1、关于“学习制度执行不严格”方面');
    expect(md).toContain('一是建立理论学习中心组学习制度，每月集中学习一次。学习制度已印发');
    expect(md).not.toContain('旧的进展');
    const docxText = (await mammoth.extractRawText({ buffer: Buffer.from(await buildProgressReportDocx(view)) })).value;
    expect(docxText).toContain('整改完成率15.4%');
    for (const text of [md, docxText]) {
      expect(text).not.toMatch(/1[3-9]\d{9}/);
      expect(text).not.toMatch(/@/);
      expect(text).not.toMatch(/\bo[unc]_[0-9a-z]/i);
      expect(text).not.toContain('lisi');
    }
  });

  it('quotes the latest report briefly and without chat markup, or the state alone when there is none', async () => {
    await importInto('样例', 'hard-ledger.xlsx', fixture('hard-ledger.xlsx'));
    const m1 = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '1.1.1')))[0]!;
    const sentence = '已组织专题学习并形成会议纪要。';
    const chat = [
      '<at user_id="all">所有人</at> 请看 [点我](https://evil.example) ',
      '<script>alert(1)</script>**重点**推进\u0007\u202e\n# 第二行\n',
      sentence.repeat(20), // 300 characters: cut after a whole sentence
    ].join('');
    await ctx.deps.db.insert(progressReports).values([{ measureId: m1.id, text: chat, source: 'command', createdAt: '2024-12-01T00:00:00Z' }]);
    const view = await loadLedgerView(ctx.deps, '样例');
    const md = buildProgressReportMarkdown(view);
    const docxText = (await mammoth.extractRawText({ buffer: Buffer.from(await buildProgressReportDocx(view)) })).value;
    const line = md.split('\n').find((l) => l.startsWith('一是建立理论学习中心组学习制度'))!;
    expect(line).toMatch(/^一是建立理论学习中心组学习制度，每月集中学习一次。请看 点我 alert\(1\)重点推进；第二行；已组织专题学习并形成会议纪要。/);
    const quoted = line.slice(line.indexOf('请看'), line.lastIndexOf('（'));
    expect([...quoted].length).toBeLessThanOrEqual(200);
    expect(quoted.endsWith(sentence)).toBe(true);
    for (const text of [md, docxText]) {
      expect(text).not.toMatch(/<at|<\/?script|\]\(|\*\*|https?:|所有人/);
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    }
    // A measure nobody reported on shows its state alone.
    expect(md).toMatch(/二是[^\n]*。（正在推进）/);
  });

  it('never writes a workbook cell longer than Excel accepts, however long the stored text', async () => {
    await importInto('样例', 'hard-ledger.xlsx', fixture('hard-ledger.xlsx'));
    const m1 = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '1.1.1')))[0]!;
    // An old report stored before reports were bounded, ending in characters outside the BMP.
    await ctx.deps.db
      .insert(progressReports)
      .values([{ measureId: m1.id, text: '进'.repeat(32_760) + '😀'.repeat(100), source: 'command', createdAt: '2024-12-01T00:00:00Z' }]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await buildLedgerWorkbook(await loadLedgerView(ctx.deps, '样例'))) as never);
    const ws = wb.worksheets[0]!;
    const column = (ws.getRow(2).values as string[]).indexOf('最新进展');
    let cell = '';
    ws.eachRow((row) => {
      row.eachCell((c) => expect(String(c.value ?? '').length).toBeLessThanOrEqual(32_767));
      if (row.getCell(1).value === '1.1.1') cell = String(row.getCell(column).value);
    });
    expect(cell.length).toBeLessThanOrEqual(32_767);
    expect(cell.startsWith('进'.repeat(1000))).toBe(true);
    expect(cell).toMatch(/已截断；全文见系统中的整改记录）$/);
    expect(cell).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no half of an emoji
  });

  it('redacts mobiles, landlines, emails and Feishu ids', () => {
    expect(redactPrivate('电话0467-5822437，手机+86 138-0000-0001，a.b@c.cn，ou_123456789abc。')).toBe('电话，手机，，。');
  });
});
