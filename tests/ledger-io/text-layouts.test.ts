import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNoDeadlineStated } from '../../src/ledger-io/deadline.js';
import { declaredCounts } from '../../src/ledger-io/declared-counts.js';
import { allMeasures, formatIssue, type ParsedLedger, type ParsedMeasure } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { buildLedgerWorkbook } from '../../src/ledger-io/export-xlsx.js';
import { toSimplified } from '../../src/ledger-io/text-layouts/traditional.js';
import { applyImport, formatImportSummary, previewImport } from '../../src/services/import.service.js';
import { loadLedgerView } from '../../src/services/ledger-export.service.js';
import { fixture, useServiceDeps } from './fixtures.js';

/** The plans and notices in tests/fixtures/ledger/layouts, each against its expected reading. */

const ctx = { referenceDate: '2025-05-01' };
const layoutFixture = (name: string) => fixture(`layouts/${name}`);
const expectedOf = async (name: string, traditional = false): Promise<Expected> => {
  const json = new TextDecoder().decode(layoutFixture(`${name}.expected.json`));
  // The Traditional fixture's expected texts are Traditional; the parse reads them as Simplified.
  return JSON.parse(traditional ? await toSimplified(json) : json) as Expected;
};

interface ExpectedMeasure {
  code: string;
  textPrefix: string;
  textIncludes?: string[];
  leader: string | null;
  department: string | null;
  owner: string | null;
  status?: string;
  deadline: { kind: string; date: string | null; text: string };
}
interface Expected {
  declared: ParsedLedger['declared'] | null;
  counts: { categories: number; problems: number; measures: number };
  categories: Array<{ code: string; titleIncludes: string | null; problems: Array<{ code: string; titleIncludes: string; measures: ExpectedMeasure[] }> }>;
}

/**
 * `none` in the fixtures means the document states no deadline. The database has no kind for
 * that yet: documents register it as NO_DEADLINE_STATED (src/ledger-io/deadline.ts), which
 * isNoDeadlineStated recognises. When an unset kind exists, only that helper changes.
 */
function deadlineMatches(m: ParsedMeasure, d: ExpectedMeasure['deadline']): void {
  if (d.kind === 'none') {
    expect(isNoDeadlineStated(m.deadline), `${m.code} states no deadline`).toBe(true);
    return;
  }
  expect({ kind: m.deadline.kind, date: m.deadline.dueDate ?? null, text: m.deadline.text }, m.code).toEqual(d);
}

function compare(l: ParsedLedger, e: Expected): void {
  expect(l.errors.map(formatIssue)).toEqual([]);
  const problems = l.categories.flatMap((c) => c.problems);
  expect({ categories: l.categories.length, problems: problems.length, measures: allMeasures(l).length }).toEqual(e.counts);
  expect(l.declared ?? null).toEqual(e.declared);
  e.categories.forEach((ec, ci) => {
    const c = l.categories[ci]!;
    expect(String(c.ordinal)).toBe(ec.code);
    if (ec.titleIncludes !== null) expect(c.title).toContain(ec.titleIncludes);
    ec.problems.forEach((ep, pi) => {
      const p = c.problems[pi]!;
      expect(`${c.ordinal}.${p.ordinal}`).toBe(ep.code);
      expect(p.title).toContain(ep.titleIncludes);
      expect(p.measures.map((m) => m.code)).toEqual(ep.measures.map((m) => m.code));
      ep.measures.forEach((em, mi) => {
        const m = p.measures[mi]!;
        expect(m.text.startsWith(em.textPrefix), `${m.code}: “${m.text}” starts with “${em.textPrefix}”`).toBe(true);
        for (const part of em.textIncludes ?? []) expect(m.text).toContain(part);
        expect(m.leaderName ?? null, `${m.code} leader`).toBe(em.leader);
        expect(m.ownerName ?? null, `${m.code} owner`).toBe(em.owner);
        // A department suggested from the text is not compared with a document that names none.
        if (em.department !== null || !m.departmentSuggested) expect(m.department ?? null, `${m.code} department`).toBe(em.department);
        expect(m.statusNote ?? null, `${m.code} status`).toBe(em.status ?? null);
        deadlineMatches(m, em.deadline);
      });
    });
  });
}

const parseFixture = (name: string) => parseLedgerFile(name, layoutFixture(name), ctx);

describe('plan and notice layouts', () => {
  it.each([
    ['plan-numbered-levels', 'numbered'],
    ['stray-spaces', 'numbered'],
    ['problems-top-level', 'numbered'],
    ['measure-labels', 'notice'],
    ['heading-with-items', 'notice'],
    ['label-pairs', 'notice'],
    ['organisational-sections', 'notice'],
  ])('%s.txt reads as its expected JSON (%s)', async (name, layout) => {
    const l = await parseFixture(`${name}.txt`);
    compare(l, await expectedOf(name));
    expect(l.layout).toBe(layout);
  });

  it('reads the plan in Traditional characters as the Simplified plan', async () => {
    const l = await parseFixture('plan-numbered-levels-traditional.txt');
    compare(l, await expectedOf('plan-numbered-levels-traditional', true));
    const simplified = await parseFixture('plan-numbered-levels.txt');
    expect(allMeasures(l).map((m) => m.text)).toEqual(allMeasures(simplified).map((m) => m.text));
  });

  it('refuses a document with nothing to import, in Chinese', async () => {
    const l = await parseFixture('nothing-to-import.txt');
    expect(l.categories).toEqual([]);
    expect(l.errors.map((e) => e.message)).toEqual([expect.stringContaining('没有找到可以导入的整改问题和措施')]);
    expect(l.declared ?? null).toBeNull();
  });

  it('reads a section that only groups the problems as no category', async () => {
    const text =
      '一、指导思想\n坚持问题导向。\n二、存在的问题及整改措施\n（一）作风建设方面\n1.会风会纪松散\n（1）严格会议签到制度。\n（2）每月通报一次。\n三、保障措施\n（一）加强组织领导。\n';
    const l = await parseLedgerFile('x.txt', new TextEncoder().encode(text), ctx);
    expect(l.categories.map((c) => [c.title, c.problems.map((p) => [p.title, p.measures.map((m) => m.text)])])).toEqual([
      ['作风建设方面', [['会风会纪松散', ['严格会议签到制度', '每月通报一次']]]],
    ]);
  });

  it('reads a measure label on the problem heading line', async () => {
    const text = '一、作风建设方面\n（一）会风会纪松散。整改情况：已完成。1.严格会议签到制度；2.每月通报一次。\n';
    const l = await parseLedgerFile('x.txt', new TextEncoder().encode(text), ctx);
    expect(l.categories[0]!.problems[0]!.title).toBe('会风会纪松散');
    expect(allMeasures(l).map((m) => [m.text, m.statusNote])).toEqual([
      ['严格会议签到制度', '已完成'],
      ['每月通报一次', '已完成'],
    ]);
  });

  it('refuses a deadline it cannot read, naming its paragraph, wherever the fields are written', async () => {
    const text =
      '一、作风建设方面\n（一）会风会纪松散\n1.严格会议签到制度。完成时限：尽快。\n2.开展专题研讨，安排如下：\n（1）每季度一次；\n责任单位：办公室；完成时限：下半年找时间。\n';
    const l = await parseLedgerFile('x.txt', new TextEncoder().encode(text), ctx);
    expect(l.errors.map(formatIssue)).toEqual(['第3段：无法识别的整改时限“尽快”', '第6段：无法识别的整改时限“下半年找时间”']);
  });

  it('names the paragraph and quotes a problem it could not give measures to', async () => {
    const text = '一、作风建设方面\n（一）会风会纪松散\n1.严格会议签到制度。\n（二）文件办理拖沓，超期未办现象时有发生\n';
    const l = await parseLedgerFile('x.txt', new TextEncoder().encode(text), ctx);
    expect(l.warnings.map(formatIssue)).toContain('第4段：问题“文件办理拖沓，超期未办现象时有发生”下没有找到整改措施，未导入');
    const stray = await parseLedgerFile(
      'y.txt',
      new TextEncoder().encode('一、作风建设方面\n整改情况：严格会议签到制度。\n问题：会风松散。整改：严格签到。\n'),
      ctx,
    );
    expect(stray.warnings.map(formatIssue)).toContain('第2段：未能归入任何问题，未导入：“整改情况：严格会议签到制度。”');
  });
});

describe('the import preview of a plan or notice', () => {
  const service = useServiceDeps('2025-07-01T02:00:00Z');
  const preview = (fileName: string, bytes: Uint8Array) => previewImport(service.deps, { fileName, bytes, campaignName: '巡察整改' });

  it('states the layout it recognised and the declared counts against what it read', async () => {
    const notice = formatImportSummary((await preview('measure-labels.txt', layoutFixture('measure-labels.txt'))).summary, 'preview');
    expect(notice).toContain('识别版式：通报体');
    expect(notice).toContain('文件中写明：3类问题，5个问题（识别出：3类问题，5个问题，7条整改措施）');
    expect(formatImportSummary((await preview('plan.txt', layoutFixture('plan-numbered-levels.txt'))).summary, 'preview')).toContain('识别版式：编号文本');
    expect(formatImportSummary((await preview('ledger.xlsx', fixture('hulin-union-ledger.xlsx'))).summary, 'preview')).toContain('识别版式：表格');
  });

  it('names the paragraph of what it could not place and quotes it', async () => {
    const text = '一、作风建设方面\n整改情况：严格会议签到制度，每月通报一次。\n（一）文件办理拖沓\n1.建立公文办理台账。\n';
    const summary = formatImportSummary((await preview('plan.txt', new TextEncoder().encode(text))).summary, 'preview');
    expect(summary).toContain('第2段：未能归入任何问题，未导入：“整改情况：严格会议签到制度，每月通报一次。”');
  });

  it.each([
    'plan-numbered-levels.txt',
    'problems-top-level.txt',
    'measure-labels.txt',
    'heading-with-items.txt',
    'label-pairs.txt',
    'organisational-sections.txt',
  ])('%s round-trips through the exported workbook and re-imports with no change', async (name) => {
    const source = await parseFixture(name);
    const { plan } = await preview(name, layoutFixture(name));
    await applyImport(service.deps, plan, 'import');
    const bytes = await buildLedgerWorkbook(await loadLedgerView(service.deps, '巡察整改'));
    const again = await parseLedgerFile('export.xlsx', bytes, ctx);
    expect(again.errors).toEqual([]);
    const essence = (l: ParsedLedger) =>
      allMeasures(l).map((m) => [m.code, m.text, m.leaderName ?? null, m.department ?? null, m.ownerName ?? null, m.deadline.kind, m.deadline.dueDate ?? null]);
    expect(essence(again)).toEqual(essence(source));
    expect(again.categories.map((c) => [c.title, c.problems.map((p) => p.title)])).toEqual(
      source.categories.map((c) => [c.title, c.problems.map((p) => p.title)]),
    );
    const { summary } = await preview('export.xlsx', bytes);
    expect(summary.changes).toMatchObject({ added: [], updated: [], missing: [] });
  });

  it('refuses a document with nothing to import and writes nothing', async () => {
    const { plan, summary } = await preview('report.txt', layoutFixture('nothing-to-import.txt'));
    const text = formatImportSummary(summary, 'preview');
    expect(text).toContain('没有找到可以导入的整改问题和措施');
    expect(text).toContain('本次未导入任何内容');
    await expect(applyImport(service.deps, plan, 'ou_secretary')).resolves.toMatchObject({ applied: false });
    expect(await service.deps.db.all(sql`select id from measures union all select id from campaigns`)).toEqual([]);
  });
});

describe('declared counts', () => {
  const cases = (
    JSON.parse(new TextDecoder().decode(layoutFixture('declared-counts.expected.json'))) as { cases: Array<{ line: number; text: string; declared: unknown }> }
  ).cases;
  it.each(cases.map((c) => [c.line, c.text, c.declared] as const))('line %i: %s', (_line, text, declared) => {
    expect(declaredCounts(text) ?? null).toEqual(declared);
  });
});

// Generated plans: the words are chosen to read the same after Simplified -> Traditional -> Simplified.
const WORDS = ['修订学习制度', '开展专项检查', '建立工作台账', '明确责任分工', '组织专题培训', '完善审批流程', '公开办理时限', '规范经费支出'];
const CATEGORY_WORDS = ['政治建设', '作风建设', '财务管理', '党风廉政建设'];
const PROBLEM_WORDS = ['理论学习不够深入', '检查评比过多', '审批不严格', '台账管理不规范'];
const DEADLINES = ['2025年6月30日', '长期坚持', '立行立改', '2025年12月底前'];
const CN = '一二三四五六七八九';

interface PlanShape {
  categories: Array<{ word: number; problems: Array<{ word: number; measures: Array<{ word: number; deadline: number }> }> }>;
}
const planShape: fc.Arbitrary<PlanShape> = fc.record({
  categories: fc.array(
    fc.record({
      word: fc.nat(CATEGORY_WORDS.length - 1),
      problems: fc.array(
        fc.record({
          word: fc.nat(PROBLEM_WORDS.length - 1),
          measures: fc.array(fc.record({ word: fc.nat(WORDS.length - 1), deadline: fc.nat(DEADLINES.length - 1) }), { minLength: 1, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

/** Numbering as people type it: brackets full or half width, spaces inside, 、 or . after. */
type Style = (n: number, pick: () => string) => string;
const SECTION: Style[] = [(n) => `${CN[n - 1]}、`, (n, s) => `${CN[n - 1]}${s()}、${s()}`, (n) => `\u200b${CN[n - 1]}\u200b、`];
const PAREN_CN: Style[] = [(n) => `（${CN[n - 1]}）`, (n, s) => `(${s()}${CN[n - 1]}${s()})`, (n, s) => `（${s()}${CN[n - 1]}${s()}）、`];
const ARABIC: Style[] = [(n) => `${n}.`, (n, s) => `${n}${s()}．`, (n, s) => `${n}、${s()}`, (n, s) => `${n}${s()}.${s()}`];

function renderPlan(shape: PlanShape, noisy: number[] = []): string {
  let k = 0;
  const next = () => noisy[k++ % Math.max(noisy.length, 1)] ?? 0;
  const space = () => [' ', '', '\u3000', '  '][next() % 4]!;
  const pick = (styles: Style[], n: number) => styles[noisy.length ? next() % styles.length : 0]!(n, space);
  const lines = ['关于巡察反馈意见的整改方案', '针对反馈问题，制定本方案。'];
  shape.categories.forEach((c, ci) => {
    lines.push(`${pick(SECTION, ci + 1)}在${CATEGORY_WORDS[c.word]}方面`);
    c.problems.forEach((p, pi) => {
      lines.push(`${pick(PAREN_CN, pi + 1)}${PROBLEM_WORDS[p.word]}`);
      p.measures.forEach((m, mi) => lines.push(`${pick(ARABIC, mi + 1)}${WORDS[m.word]}。责任单位：办公室；完成时限：${DEADLINES[m.deadline]}。`));
    });
  });
  lines.push('各责任单位要逐项抓好落实。');
  return lines.map((l) => (noisy.length && next() % 3 === 0 ? `\u3000\u3000${l}` : l)).join('\n');
}

const reading = (l: ParsedLedger) => ({
  errors: l.errors,
  categories: l.categories.map((c) => [c.title, c.problems.map((p) => [p.title, p.measures.map((m) => [m.code, m.text, m.department, m.deadline])])]),
});
const parseText = (text: string) => parseLedgerFile('plan.txt', new TextEncoder().encode(text), ctx);

describe('generated plans', () => {
  it('read every category, problem and measure, whatever noise is in the numbering', async () => {
    await fc.assert(
      fc.asyncProperty(planShape, fc.array(fc.nat(11), { minLength: 1, maxLength: 20 }), async (shape, noise) => {
        const clean = await parseText(renderPlan(shape));
        expect(clean.errors).toEqual([]);
        expect(allMeasures(clean).map((m) => m.text)).toEqual(shape.categories.flatMap((c) => c.problems.flatMap((p) => p.measures.map((m) => WORDS[m.word]))));
        expect(clean.categories.map((c) => c.problems.length)).toEqual(shape.categories.map((c) => c.problems.length));
        expect(reading(await parseText(renderPlan(shape, noise)))).toEqual(reading(clean));
      }),
      { numRuns: 60 },
    );
  });

  it('read a plan in Traditional characters as the same plan in Simplified', async () => {
    const { Converter } = await import('opencc-js/cn2t');
    const toTraditional = Converter({ from: 'cn', to: 'tw' });
    await fc.assert(
      fc.asyncProperty(planShape, async (shape) => {
        const text = renderPlan(shape);
        const traditional = toTraditional(text);
        expect(traditional).not.toBe(text);
        expect(reading(await parseText(traditional))).toEqual(reading(await parseText(text)));
      }),
      { numRuns: 30 },
    );
  });

  it('read a notice with labelled measures, statuses and enumerations, and nothing from its organisational sections', async () => {
    const LABELS = ['整改情况：', '整改措施：', '整改：', '整改落实情况：'];
    const STATUSES = [undefined, '已完成', '正在推进'];
    const measureParagraph = fc.record({
      label: fc.nat(LABELS.length - 1),
      status: fc.nat(STATUSES.length - 1),
      numbering: fc.constantFrom('none', 'arabic', 'shi'),
      words: fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 3 }),
    });
    const notice = fc.array(
      fc.record({
        word: fc.nat(CATEGORY_WORDS.length - 1),
        problems: fc.array(fc.record({ word: fc.nat(PROBLEM_WORDS.length - 1), measures: measureParagraph }), { minLength: 1, maxLength: 3 }),
      }),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    await fc.assert(
      fc.asyncProperty(notice, async (categories) => {
        const lines = [
          '关于巡察整改进展情况的通报',
          '一、整改工作组织情况',
          '（一）加强组织领导。一是成立领导小组；二是制定整改方案。',
          '（二）压实整改责任',
          '一是班子成员认领任务；二是每周调度。',
          '二、反馈问题整改落实情况',
        ];
        const expected: Array<[string, string | undefined]> = [];
        categories.forEach((c, ci) => {
          lines.push(`（${CN[ci]}）${CATEGORY_WORDS[c.word]}方面`);
          c.problems.forEach((p, pi) => {
            lines.push(`${pi + 1}.${PROBLEM_WORDS[p.word]}的问题`);
            const m = p.measures;
            const status = STATUSES[m.status];
            const words = m.numbering === 'none' ? [m.words[0]!] : m.words;
            const items = words.map((w, i) => (m.numbering === 'arabic' ? `${i + 1}.` : m.numbering === 'shi' ? `${CN[i]}是` : '') + WORDS[w]).join('；');
            lines.push(`${LABELS[m.label]}${status ? `${status}。` : ''}${items}。`);
            for (const w of words) expected.push([WORDS[w]!, status]);
          });
        });
        lines.push('三、下一步工作打算', '一是持续巩固整改成果；二是建立长效机制。');
        const l = await parseText(lines.join('\n'));
        expect(l.errors).toEqual([]);
        expect(l.layout).toBe('notice');
        expect(allMeasures(l).map((m) => [m.text, m.statusNote])).toEqual(expected);
        expect(l.categories.map((c) => c.problems.length)).toEqual(categories.map((c) => c.problems.length));
      }),
      { numRuns: 80 },
    );
  });
});
