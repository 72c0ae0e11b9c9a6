import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { measures } from '../../db/schema.js';
import { allMeasures, formatIssue, type ParsedLedger } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { docTextBody } from '../../src/ledger-io/word-tables.js';
import { applyImport, previewImport } from '../../src/services/import.service.js';
import { fixture, useServiceDeps } from './fixtures.js';
import { EMPTY_DEADLINE_WARNING, expectedReading, layout, wordTableLedgerFilled } from './layout-fixtures.js';
import { ledgerDocx, ledgerXls } from './ledger-files.js';

const parseCtx = { referenceDate: '2025-03-01' };
const parse = (name: string, bytes = layout(name)) => parseLedgerFile(name, bytes, parseCtx);

/** The ledger without where each piece came from in its file (which differs between formats). */
const content = (l: ParsedLedger) =>
  l.categories.map((c) => ({ ...c, problems: c.problems.map((p) => ({ ...p, measures: p.measures.map(({ ref: _ref, ...m }) => m) })) }));

describe('ledgers kept as Word tables', () => {
  it('reads word-table-ledger.docx as its expected reading, its empty 完成时限 cell as 时限待定 with a warning', async () => {
    const l = await parse('word-table-ledger.docx');
    const expected = expectedReading('word-table-ledger');
    expect(l.categories).toHaveLength(expected.counts.categories);
    expect(l.categories.flatMap((c) => c.problems)).toHaveLength(expected.counts.problems);
    expect(allMeasures(l)).toHaveLength(expected.counts.measures);
    expected.categories.forEach((ec, ci) => {
      const c = l.categories[ci]!;
      expect(c.title).toContain(ec.titleIncludes);
      ec.problems.forEach((ep, pi) => {
        const p = c.problems[pi]!;
        expect(p.title).toContain(ep.titleIncludes);
        ep.measures.forEach((em, mi) => {
          const m = p.measures[mi]!;
          expect(m.code).toBe(em.code);
          expect(m.text.startsWith(em.textPrefix)).toBe(true);
          expect([m.leaderName, m.department, m.ownerName, m.completionStandard]).toEqual([em.leader, em.department, em.owner, em.standard]);
          // An empty deadline cell states nothing: 时限待定 (unset), never 长期坚持.
          if (em.deadline.kind === 'none') expect(m.deadline).toEqual({ kind: 'unset', text: '' });
          else expect(m.deadline).toEqual({ kind: em.deadline.kind, text: em.deadline.text, ...(em.deadline.date ? { dueDate: em.deadline.date } : {}) });
        });
      });
    });
    expect(l.errors).toEqual([]);
    // The sub-heading row spanning the table is skipped and said so; the paragraphs around the
    // tables (title, 填报日期, 注：…) and the header repeated mid-table give nothing.
    expect(l.warnings.map(formatIssue)).toEqual(['第1个表格第5行：没有整改措施，已跳过（内容：意识形态工作）', EMPTY_DEADLINE_WARNING]);
    const texts = allMeasures(l).flatMap((m) => [m.text, m.deadline.text, m.department ?? '']);
    expect(texts.filter((t) => /填报|注：|整改台账|整改措施|意识形态工作$/.test(t))).toEqual([]);
  });

  it('reads the .doc saved from it (word-extractor) to the same ledger', async () => {
    const [docx, doc] = await Promise.all([parse('word-table-ledger.docx'), parse('word-table-ledger.doc')]);
    expect(doc.format).toBe('doc');
    expect(doc.categories).toEqual(docx.categories);
    expect(doc.errors).toEqual(docx.errors);
    expect(doc.warnings).toEqual(docx.warnings);
  });

  it('prefers the tables of a document that also has numbered text', async () => {
    // The table ledger with a numbered plan in front of its tables: only the tables are read.
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(await wordTableLedgerFilled('2025年9月30日'));
    const xml = await zip.file('word/document.xml')!.async('string');
    const p = (t: string) => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`;
    const plan = p('一、关于学习方面') + p('（一）学习不深入') + p('1.每月学习一次。完成时限：2025年6月30日。');
    zip.file('word/document.xml', xml.replace('<w:body>', `<w:body>${plan}`));
    const l = await parse('mixed.docx', new Uint8Array(await zip.generateAsync({ type: 'uint8array' })));
    expect(l.errors).toEqual([]);
    expect(allMeasures(l)).toHaveLength(10);
    expect(l.categories.map((c) => c.title)).toEqual(['政治建设方面', '作风建设方面']);
  });

  it('gives a vertically merged cell of any column to every row it spans, in .docx and .xls', async () => {
    // 责任单位 merged over both measures: the grid logic carries only 问题 and 类别 down by itself.
    const header = ['问题', '整改措施', '责任单位', '完成时限'];
    const { Document, Packer, Paragraph, Table, TableCell, TableRow } = await import('docx');
    const cell = (t: string, rowSpan?: number) => new TableCell({ children: [new Paragraph(t)], ...(rowSpan ? { rowSpan } : {}) });
    const table = new Table({
      rows: [
        new TableRow({ children: header.map((h) => cell(h)) }),
        new TableRow({ children: [cell('问题一', 2), cell('措施一'), cell('办公室', 2), cell('2025年6月30日')] }),
        new TableRow({ children: [cell('措施二'), cell('立行立改')] }),
      ],
    });
    const docx = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [table] }] })));
    const XLSX = await import('@e965/xlsx');
    const ws = XLSX.utils.aoa_to_sheet([header, ['问题一', '措施一', '办公室', '2025年6月30日'], ['', '措施二', '', '立行立改']]);
    ws['!merges'] = [XLSX.utils.decode_range('C2:C3')];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '台账');
    const xls = new Uint8Array(XLSX.write(wb, { bookType: 'xls', type: 'array' }) as ArrayBuffer);
    for (const [name, bytes] of [
      ['a.docx', docx],
      ['a.xls', xls],
    ] as const) {
      const l = await parse(name, bytes);
      expect(l.errors).toEqual([]);
      expect(allMeasures(l).map((m) => [m.text, m.department])).toEqual([
        ['措施一', '办公室'],
        ['措施二', '办公室'],
      ]);
    }
  });

  it('reads cell-marked .doc text row by row: spans end a row early, empty cells keep their place', () => {
    const text = '标题\n一、甲方面\n序号\t问题\t整改措施\t\t1\t问题一\t措施一\t\t小标题\t\n\t\t措施二\t\t注：说明\n';
    const body = docTextBody(text, 100);
    expect(body).toEqual({
      items: [
        { kind: 'paragraph', text: '标题' },
        { kind: 'paragraph', text: '一、甲方面' },
        {
          kind: 'table',
          rows: [
            { number: 1, cells: ['序号', '问题', '整改措施'] },
            { number: 2, cells: ['1', '问题一', '措施一'] },
            { number: 3, cells: ['小标题'] },
            { number: 4, cells: [undefined, undefined, '措施二'] },
          ],
        },
        { kind: 'paragraph', text: '注：说明' },
      ],
    });
    expect(docTextBody(text, 3)).toEqual({ tooManyRows: true });
  });

  it('reads rows ending in a line break and cells of several paragraphs from .doc text', () => {
    // What word-extractor gives for a table saved as .doc by LibreOffice 7.4 from a .docx: 问题 and
    // 责任单位 merged over two rows, the first measure in two paragraphs.
    const text =
      '一、甲方面\n问题\t整改措施\t责任单位\t完成时限\t\n问题一\t措施一第一段\n措施一第二段\t办公室\t2025年6月30日\t\n\t措施二\t\t立行立改\t\n注：无\n';
    expect(docTextBody(text, 100)).toEqual({
      items: [
        { kind: 'paragraph', text: '一、甲方面' },
        {
          kind: 'table',
          rows: [
            { number: 1, cells: ['问题', '整改措施', '责任单位', '完成时限'] },
            { number: 2, cells: ['问题一', '措施一第一段\n措施一第二段', '办公室', '2025年6月30日'] },
            { number: 3, cells: [undefined, '措施二', undefined, '立行立改'] },
          ],
        },
        { kind: 'paragraph', text: '注：无' },
      ],
    });
  });
});

describe('old Office formats and PDF', () => {
  it('reads hulin-union-ledger.xls (@e965/xlsx) to the same ledger as the .xlsx', async () => {
    const [xls, xlsx] = await Promise.all([parse('hulin-union-ledger.xls'), parseLedgerFile('a.xlsx', fixture('hulin-union-ledger.xlsx'), parseCtx)]);
    expect(xls.format).toBe('xls');
    expect(xls.errors).toEqual([]);
    expect(allMeasures(xls)).toHaveLength(43);
    expect(xls.categories).toEqual(xlsx.categories);
  });

  it('reads the text PDF to the same ledger as its text', async () => {
    const [pdf, txt] = await Promise.all([parse('measure-labels.pdf'), parse('measure-labels.txt')]);
    expect(pdf.format).toBe('pdf');
    expect(allMeasures(pdf).length).toBeGreaterThan(0);
    expect(content(pdf)).toEqual(content(txt));
    expect(pdf.declared).toEqual(txt.declared);
  });

  it('refuses a scanned PDF in Chinese, keeping nothing', async () => {
    const l = await parse('measure-labels-scanned.pdf');
    expect(l.categories).toEqual([]);
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('这个 PDF 文件没有文字层（可能是扫描件或图片）')]);
  });

  it('refuses a damaged .xls, .doc or .pdf in Chinese', async () => {
    const junk = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]);
    for (const name of ['a.xls', 'a.doc', 'a.pdf', 'a.docx']) {
      const l = await parseLedgerFile(name, junk, parseCtx);
      expect(l.categories).toEqual([]);
      expect(l.errors[0]!.message).toMatch(/^无法读取这个/);
    }
  });
});

describe('the row limit in Word tables and .xls', () => {
  const limited = (maxRows: number) => ({ ...parseCtx, maxRows });
  it('reads exactly the limit and refuses one more', async () => {
    for (const [name, make] of [
      ['a.docx', ledgerDocx],
      ['a.xls', ledgerXls],
    ] as const) {
      const ok = await parseLedgerFile(name, await make(50), limited(50));
      expect(ok.errors).toEqual([]);
      expect(allMeasures(ok)).toHaveLength(50);
      const over = await parseLedgerFile(name, await make(51), limited(50));
      expect(over.categories).toEqual([]);
      expect(over.errors.map((e) => e.message)).toEqual([expect.stringContaining('文件中有51条整改措施，超出一次最多导入50条整改措施的上限')]);
    }
  });

  it('stops reading far above the limit', async () => {
    for (const [name, make] of [
      ['a.docx', ledgerDocx],
      ['a.xls', ledgerXls],
    ] as const) {
      const l = await parseLedgerFile(name, await make(600), limited(20));
      expect(l.categories).toEqual([]);
      expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('文件的数据行超过20行，已停止读取')]);
    }
  });
});

describe('importing Word tables', () => {
  const ctx = useServiceDeps('2025-03-01T02:00:00Z');
  async function importFile(fileName: string, bytes: Uint8Array) {
    const { plan } = await previewImport(ctx.deps, { fileName, bytes, campaignName: '青禾' });
    return applyImport(ctx.deps, plan, 'import');
  }

  const m222 = async () => (await ctx.deps.db.select().from(measures).where(eq(measures.code, '2.2.2')))[0]!;

  it('imports the table ledger as it is, its empty 完成时限 cell as 时限待定; a later file stating the deadline sets it', async () => {
    const s = await importFile('word-table-ledger.docx', layout('word-table-ledger.docx'));
    expect(s).toMatchObject({ applied: true, categories: 2, problems: 5, measures: 10, errors: [] });
    expect(s.warnings).toContain(EMPTY_DEADLINE_WARNING);
    expect(s.deadlines).toEqual({ dated: 5, immediate: 2, ongoing: 2, immediate_ongoing: 0, unset: 1 });
    expect(await m222()).toMatchObject({ deadlineKind: 'unset', deadlineText: null, dueDate: null });

    const stated = await importFile('word-table-ledger.docx', await wordTableLedgerFilled('2025年9月30日'));
    expect(stated.changes).toEqual({ added: [], updated: [{ code: '2.2.2', fields: ['deadline'] }], unchanged: 9, missing: [] });
    expect(await m222()).toMatchObject({ deadlineKind: 'dated', deadlineText: '2025年9月30日', dueDate: '2025-09-30', originalDueDate: '2025-09-30' });

    // The first file again, still stating nothing, does not undo the deadline set since.
    const again = await importFile('word-table-ledger.docx', layout('word-table-ledger.docx'));
    expect(again.changes).toEqual({ added: [], updated: [], unchanged: 10, missing: [] });
    expect(await m222()).toMatchObject({ deadlineKind: 'dated', dueDate: '2025-09-30' });
  });

  it('imports every measure of the filled table ledger and re-imports it with no change', async () => {
    const filled = await wordTableLedgerFilled('2025年9月30日');
    const s = await importFile('word-table-ledger.docx', filled);
    expect(s).toMatchObject({ applied: true, categories: 2, problems: 5, measures: 10, errors: [] });
    expect(s.deadlines).toEqual({ dated: 6, immediate: 2, ongoing: 2, immediate_ongoing: 0, unset: 0 });
    const stored = await ctx.deps.db.select().from(measures).orderBy(measures.code);
    const expected = expectedReading('word-table-ledger').categories.flatMap((c) => c.problems.flatMap((p) => p.measures));
    expect(stored.map((m) => m.code)).toEqual(expected.map((m) => m.code));
    for (const [i, m] of stored.entries()) {
      const e = expected[i]!;
      expect([m.leaderName, m.ownerName, m.completionStandard]).toEqual([e.leader, e.owner, e.standard]);
      if (e.deadline.kind === 'none') expect([m.deadlineKind, m.dueDate]).toEqual(['dated', '2025-09-30']);
      else expect([m.deadlineKind, m.dueDate, m.deadlineText]).toEqual([e.deadline.kind, e.deadline.date, e.deadline.text]);
    }
    const m221 = (await ctx.deps.db.select().from(measures).where(eq(measures.code, '2.2.1')))[0]!;
    expect(m221.text).toBe('清理合并督查检查事项，年度计划报局党组审定');

    const again = await importFile('word-table-ledger.docx', filled);
    expect(again.changes).toEqual({ added: [], updated: [], unchanged: 10, missing: [] });
  });

  it('re-imports the sample ledger from its .xls with no change', async () => {
    await importFile('hulin-union-ledger.xlsx', fixture('hulin-union-ledger.xlsx'));
    const s = await importFile('hulin-union-ledger.xls', layout('hulin-union-ledger.xls'));
    expect(s.changes).toEqual({ added: [], updated: [], unchanged: 43, missing: [] });
  });
});
