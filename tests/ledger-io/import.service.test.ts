import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { auditLog, campaigns, measures, people, progressReports } from '../../db/schema.js';
import { applyImport, formatImportSummary, IMPORT_BUSY_REPLY, previewImport } from '../../src/services/import.service.js';
import { fixture, SAMPLE_LEDGERS, SAMPLE_NOTICE, useServiceDeps } from './fixtures.js';

const ctx = useServiceDeps('2024-10-01T02:00:00Z');

async function importFile(name: string, campaignName = '虎林', bytes = fixture(name), actor = 'import') {
  const { plan } = await previewImport(ctx.deps, { fileName: name, bytes, campaignName });
  return applyImport(ctx.deps, plan, actor);
}

/** Everything an import may touch, to prove a refused import changed nothing. */
async function snapshot() {
  const tables = ['campaigns', 'categories', 'problems', 'measures', 'departments', 'people', 'audit_log', 'progress_reports'];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = await ctx.deps.db.all(sql.raw(`select * from ${t} order by 1`));
  return out;
}

const csvText = () => new TextDecoder().decode(fixture('hulin-union-ledger.csv'));
const encode = (s: string) => new TextEncoder().encode(s);

describe('import service', () => {
  it('imports the sample ledger with counts by deadline kind and an audit entry per measure', async () => {
    const s = await importFile('hulin-union-ledger.xlsx');
    expect(s).toMatchObject({ applied: true, campaign: '虎林', campaignIsNew: true, categories: 5, problems: 15, measures: 43, errors: [] });
    expect(s.deadlines).toEqual({ dated: 30, immediate: 4, ongoing: 6, immediate_ongoing: 3, unset: 0 });
    expect(s.changes.added).toHaveLength(43);
    expect(await ctx.deps.db.select().from(measures)).toHaveLength(43);
    expect((await ctx.deps.db.select().from(auditLog)).filter((a) => a.action === 'import.add')).toHaveLength(43);
    const m = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '1.2.4')))[0]!;
    expect(m).toMatchObject({
      deadlineKind: 'dated',
      deadlineText: '2025年3月底前',
      dueDate: '2025-03-31',
      originalDueDate: '2025-03-31',
      status: 'not_started',
    });
    const text = formatImportSummary(s, 'applied');
    expect(text).toContain('识别结果：5类问题，15个问题，43条整改措施');
    expect(text).toContain('整改时限：限期完成30条，立行立改4条，长期坚持6条，立行立改、长期坚持3条\n');
  });

  it('imports an empty deadline cell, or one reading 时限待定 as an export writes it, as 时限待定 with a warning, not as an error', async () => {
    const text = csvText()
      .replace(',宣教部,长期坚持,', ',宣教部,,')
      .replace('党组书记,办公室,办公室主任,,,立行立改、长期坚持,', '党组书记,办公室,办公室主任,,,时限待定,');
    const s = await importFile('blank-deadline.csv', '虎林', encode(text));
    expect(s).toMatchObject({ applied: true, measures: 43, errors: [] });
    expect(s.deadlines).toEqual({ dated: 30, immediate: 4, ongoing: 5, immediate_ongoing: 2, unset: 2 });
    const summary = formatImportSummary(s, 'applied');
    expect(summary).toContain('整改时限：限期完成30条，立行立改4条，长期坚持5条，立行立改、长期坚持2条，时限待定2条');
    expect(summary).toContain('2条措施未写明整改时限，已登记为“时限待定”');
    const unset = await ctx.deps.db.select().from(measures).where(eq(measures.deadlineKind, 'unset'));
    expect(unset.map((m) => [m.code, m.deadlineText, m.dueDate]).sort()).toEqual([
      ['1.1.1', null, null],
      ['1.1.2', null, null],
    ]);
  });

  it.each(SAMPLE_LEDGERS)('re-importing %s into the ledger built from any sample changes nothing', async (name) => {
    await importFile('hulin-union-ledger.xlsx');
    const before = await snapshot();
    for (const again of [name, name]) {
      const s = await importFile(again);
      expect(s.changes).toEqual({ added: [], updated: [], unchanged: 43, missing: [] });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('takes no due date more than 5 years away, from a date cell or from text, and says so in the summary', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('台账');
    sheet.addRow(['编号', '问题', '整改措施', '责任部门', '整改时限']);
    sheet.addRow(['1.1.1', '问题一', '措施一', '办公室', new Date(Date.UTC(9999, 11, 31))]);
    sheet.addRow(['1.1.2', '问题一', '措施二', '办公室', '2099年12月31日前']);
    sheet.addRow(['1.1.3', '问题一', '措施三', '办公室', '2029年9月30日前']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const s = await importFile('far.xlsx', '远期', bytes);
    expect(s.applied).toBe(true);
    expect(s.warnings).toEqual([
      '第2行：整改时限“9999-12-31”超出前后 5 年（2019-10-01 至 2029-10-01），不作为完成日期，已按未设期限登记，请核对',
      '第3行：整改时限“2099年12月31日前”超出前后 5 年（2019-10-01 至 2029-10-01），不作为完成日期，已按未设期限登记，请核对',
    ]);
    const rows = await ctx.deps.db.select().from(measures).orderBy(measures.code);
    expect(rows.map((m) => [m.code, m.deadlineKind, m.deadlineText, m.dueDate])).toEqual([
      ['1.1.1', 'dated', '9999-12-31', null],
      ['1.1.2', 'dated', '2099年12月31日前', null],
      ['1.1.3', 'dated', '2029年9月30日前', '2029-09-30'],
    ]);
  });

  it('writes nothing when one row has a bad deadline, and names that row and cell', async () => {
    await importFile('hulin-union-ledger.csv');
    const before = await snapshot();
    const s = await importFile('bad-deadline.csv');
    expect(s.applied).toBe(false);
    expect(s.errors).toEqual(['第5行（J5单元格）：无法识别的整改时限“尽快”']);
    expect(formatImportSummary(s, 'preview')).toContain('本次未导入任何内容');
    expect(await snapshot()).toEqual(before);
    // Into an empty database it creates no campaign either.
    const fresh = await importFile('bad-deadline.csv', '另一个任务');
    expect(fresh.applied).toBe(false);
    expect(await ctx.deps.db.select().from(campaigns).where(eq(campaigns.name, '另一个任务'))).toEqual([]);
  });

  it('rolls back every statement when the database refuses one mid-way', async () => {
    await importFile('hulin-union-ledger.csv');
    const before = await snapshot();
    // A trigger refuses the second update's audit entry, after the first update has been written.
    await ctx.deps.db.run(
      sql.raw(
        `create trigger fail_audit before insert on audit_log when new.action = 'import.update' and exists (select 1 from audit_log where action = 'import.update') begin select raise(abort, 'refused'); end`,
      ),
    );
    const revised = csvText()
      .replace('年度述职述廉会议按期召开', '年度述职述廉会议按期召开（修订）')
      .replace('会议记录含讨论过程和议事结果', '会议记录含讨论过程和议事结果（修订）');
    await expect(importFile('revised.csv', '虎林', encode(revised))).rejects.toThrow(/insert into audit_log/);
    expect(await snapshot()).toEqual(before);
    await ctx.deps.db.run(sql.raw('drop trigger fail_audit'));
    expect((await importFile('revised.csv', '虎林', encode(revised))).changes.updated.map((u) => u.code)).toEqual(['4.1.1', '5.2.1']);
  });

  it('refuses in Chinese, writing nothing, while another process keeps the database locked', async () => {
    await importFile('hulin-union-ledger.csv');
    const before = await snapshot();
    await ctx.deps.db.run(sql.raw('pragma busy_timeout = 200'));
    const other = new Database(ctx.deps.config.databasePath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const revised = csvText().replace('年度述职述廉会议按期召开', '年度述职述廉会议按期召开（修订）');
      await expect(importFile('revised.csv', '虎林', encode(revised))).rejects.toThrow(IMPORT_BUSY_REPLY);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('two imports of the same file at once end one after the other, writing the ledger once', async () => {
    const bytes = fixture('hulin-union-ledger.csv');
    const [a, b] = await Promise.all([importFile('hulin-union-ledger.csv', '虎林', bytes, 'a'), importFile('hulin-union-ledger.csv', '虎林', bytes, 'b')]);
    expect([a.changes.added.length, b.changes.added.length].sort()).toEqual([0, 43]);
    expect([a.changes.unchanged, b.changes.unchanged].sort()).toEqual([0, 43]);
    expect(await ctx.deps.db.select().from(measures)).toHaveLength(43);
    expect(await ctx.deps.db.select().from(auditLog)).toHaveLength(43);
  });

  it('updates by code, adds new measures, flags vanished ones and keeps status and reports', async () => {
    await importFile('hulin-union-ledger.csv');
    const target = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '1.1.3')))[0]!;
    await ctx.deps.db.update(measures).set({ status: 'in_progress', percent: 40 }).where(eq(measures.id, target.id));
    await ctx.deps.db.insert(progressReports).values({ measureId: target.id, text: '已完成方案起草', source: 'command', createdAt: '2024-10-01T00:00:00Z' });

    const lines = csvText().split('\r\n');
    const revised = lines
      .map((l) => (l.startsWith('1.1.3,') ? l.replace('2024年12月31日', '2025年1月底前').replace('制定《党员干部', '修订《党员干部') : l))
      .filter((l) => !l.startsWith('5.3.1,'))
      .concat(['5.3.2,“一把手”履行第一责任人职责和廉洁自律情况方面,议事决策制度落实不规范,新增一条措施,党组书记,办公室,办公室主任,,,2025年6月底前,新增标准']);
    const s = await importFile('revised.csv', '虎林', encode(revised.join('\r\n')), 'ou_secretary');
    expect(s.changes.added).toEqual(['5.3.2']);
    expect(s.changes.updated).toEqual([{ code: '1.1.3', fields: ['text', 'deadline'] }]);
    expect(s.changes.missing).toEqual(['5.3.1']);
    expect(s.changes.unchanged).toBe(41);
    expect(formatImportSummary(s, 'applied')).toContain('1.1.3 更新了措施内容、整改时限');

    const after = (await ctx.deps.db.select().from(measures).where(eq(measures.id, target.id)))[0]!;
    expect(after).toMatchObject({ status: 'in_progress', percent: 40, dueDate: '2025-01-31', deadlineText: '2025年1月底前', version: 2 });
    expect(after.text).toMatch(/^修订/);
    expect(await ctx.deps.db.select().from(progressReports)).toHaveLength(1);
    const gone = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '5.3.1')))[0]!;
    expect(gone.missingFromSource).toBe(true);
    const audits = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.actor, 'ou_secretary'));
    expect(audits.map((a) => a.action).sort()).toEqual(['import.add', 'import.missing', 'import.update']);
    const update = audits.find((a) => a.action === 'import.update')!;
    expect(update.before).toMatchObject({ dueDate: '2024-12-31' });
    expect(update.after).toMatchObject({ dueDate: '2025-01-31' });

    // The same revision again: nothing more to do. The original again: 5.3.1 is back, 5.3.2 goes missing.
    expect((await importFile('revised.csv', '虎林', encode(revised.join('\r\n')))).changes).toEqual({ added: [], updated: [], unchanged: 43, missing: [] });
    const back = await importFile('hulin-union-ledger.csv');
    expect(back.changes.updated.map((u) => u.code).sort()).toEqual(['1.1.3', '5.3.1']);
    expect(back.changes.missing).toEqual(['5.3.2']);
  });

  it('keeps an approved extension when the deadline in the file did not change', async () => {
    await importFile('hulin-union-ledger.csv');
    await ctx.deps.db.update(measures).set({ dueDate: '2025-02-28' }).where(eq(measures.code, '1.1.3'));
    const s = await importFile('hulin-union-ledger.csv');
    expect(s.changes.updated).toEqual([]);
    expect((await ctx.deps.db.select().from(measures).where(eq(measures.code, '1.1.3')))[0]!.dueDate).toBe('2025-02-28');
  });

  it('states declared against parsed counts for the sample notice', async () => {
    const { summary } = await previewImport(ctx.deps, { fileName: SAMPLE_NOTICE, bytes: fixture(SAMPLE_NOTICE) });
    expect(summary).toMatchObject({
      campaign: 'hulin-union-progress-report-2024',
      categories: 5,
      problems: 15,
      measures: 43,
      declared: { categories: 5, problems: 43, measures: 43 },
    });
    const text = formatImportSummary(summary, 'preview');
    expect(text).toContain('文件中写明：5类问题，43个问题，43条整改措施（识别出：5类问题，15个问题，43条整改措施）');
    expect(text).toContain('文件中写明43个问题，实际识别出15个问题，请核对');
    expect(await ctx.deps.db.select().from(measures)).toEqual([]);
  });

  it('resolves owners through the contact lookup and lists the rest as unresolved', async () => {
    const asked: unknown[] = [];
    const lookup = async (q: { emails: string[]; mobiles: string[] }) => {
      asked.push(q);
      return new Map([['13800000001', 'ou_zhangsan']]);
    };
    const { plan, summary } = await previewImport(ctx.deps, { fileName: 'hard-ledger.xlsx', bytes: fixture('hard-ledger.xlsx'), campaignName: '样例', lookup });
    expect(asked).toEqual([{ emails: ['lisi@example.com'], mobiles: ['13800000001'] }]);
    expect(summary.unresolvedPeople).toEqual(['李四', '王五', '赵六', '钱七', '孙八']);
    await applyImport(ctx.deps, plan, 'import');
    const zhang = (await ctx.deps.db.select().from(people).where(eq(people.openId, 'ou_zhangsan')))[0]!;
    expect(zhang).toMatchObject({ name: '张三', contact: '13800000001' });
    const m = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '1.1.1')))[0]!;
    expect(m.ownerPersonId).toBe(zhang.id);
    expect((await ctx.deps.db.select().from(measures).where(eq(measures.code, '1.1.2')))[0]!).toMatchObject({
      ownerPersonId: null,
      ownerName: '李四',
      ownerContact: 'lisi@example.com',
    });
  });
});
