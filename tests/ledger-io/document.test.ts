import { Document, Packer, Paragraph } from 'docx';
import { describe, expect, it } from 'vitest';
import { chineseNumber, declaredCounts, parseDocumentText, problemTitle } from '../../src/ledger-io/document.js';
import { allMeasures, formatIssue } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { fixture, SAMPLE_NOTICE } from './fixtures.js';

const fixtureText = (name: string) => new TextDecoder().decode(fixture(name));

const ctx = { referenceDate: '2024-09-14' };

describe('notices as documents', () => {
  it('reads the sample notice: 5 categories, 15 problems, 43 measures, and not the preamble or closing lists', async () => {
    const l = await parseLedgerFile(SAMPLE_NOTICE, fixture(SAMPLE_NOTICE), ctx);
    expect(l.errors).toEqual([]);
    expect(l.categories.map((c) => c.problems.length)).toEqual([4, 3, 3, 2, 3]);
    const ms = allMeasures(l);
    expect(ms).toHaveLength(43);
    expect(l.categories[0]!.title).toMatch(/^贯彻落实党的路线方针政策/);
    expect(l.categories[1]!.problems[1]!.title).toBe('廉政风险隐患突出');
    expect(l.categories[3]!.problems[0]!.title).toBe('“‘三会一课’质量不高，会议记录只记会议议题不记研究讨论过程和议事结果”问题整改不到位'.replace(/，/g, ','));
    // The preamble's 一是迅速部署… and the closing （一）深入剖析问题根源 are not measures.
    expect(ms.some((m) => m.text.includes('迅速部署'))).toBe(false);
    expect(ms.some((m) => m.text.includes('常态化') && m.text.includes('剖析'))).toBe(false);
    // 完成时限：立行立改 长期坚持 is attached to its measure and removed from the text.
    expect(ms[0]!.deadline.kind).toBe('immediate_ongoing');
    expect(ms[0]!.text).not.toContain('完成时限');
    // A 二是 that does not continue the numbering stays inside its measure (the notice's slip).
    expect(ms.find((m) => m.code === '1.3.5')!.text).toContain('二是扩大困难职工救助覆盖面');
    // Departments named at the start of a measure are suggested as its lead department.
    expect(ms.find((m) => m.code === '1.3.3')).toMatchObject({ department: '保障部门', departmentSuggested: true });
    expect(ms.find((m) => m.code === '3.3.3')!.department).toBe('财务部门');
    expect(l.declared).toEqual({ categories: 5, problems: 43, measures: 43 });
    expect(l.warnings.map(formatIssue)).toContain('文件中写明43个问题，实际识别出15个问题，请核对');
    expect(l.warnings.map(formatIssue).join('\n')).not.toContain('条整改措施，实际');
  });

  it('reads the notice from a .docx the same way as from text', async () => {
    const txt = await parseLedgerFile(SAMPLE_NOTICE, fixture(SAMPLE_NOTICE), ctx);
    const docx = await parseLedgerFile('notice.docx', fixture('hulin-union-progress-report-2024.docx'), ctx);
    expect(docx.errors).toEqual([]);
    expect(allMeasures(docx).map((m) => [m.code, m.text, m.deadline])).toEqual(allMeasures(txt).map((m) => [m.code, m.text, m.deadline]));
  });

  it('reads a markdown plan: full-width numbering, several measures in one paragraph, numbered measures, deadlines', async () => {
    const l = await parseLedgerFile('plan-notice.md', fixture('plan-notice.md'), ctx);
    expect(l.errors).toEqual([]);
    const ms = allMeasures(l);
    expect(ms.map((m) => [m.code, m.text, m.deadline.kind, m.deadline.dueDate])).toEqual([
      // States no deadline: 时限待定, not 长期坚持 (2.1.2 states 长期坚持).
      ['1.1.1', '建立理论学习中心组学习制度，每月集中学习一次。', 'unset', undefined],
      ['1.1.2', '开展专题研讨', 'dated', '2024-12-31'],
      ['1.1.3', '组织全体干部参加理论测试。', 'dated', '2025-03-31'],
      ['2.1.1', '财务部门完善经费支出内控制度，严格审批程序。', 'immediate', undefined],
      ['2.1.2', '规范采购程序，大额采购履行询价程序。', 'ongoing', undefined],
    ]);
    expect(l.categories.map((c) => c.problems[0]!.title)).toEqual(['学习贯彻不深入', '经费管理不规范']);
    expect(ms[3]!.department).toBe('财务部门');
    expect(l.declared).toEqual({ categories: 3, problems: 8, measures: 10 });
    const warnings = l.warnings.map(formatIssue);
    expect(warnings).toContain('文件中写明3类问题，实际识别出2类问题，请核对');
    expect(warnings).toContain('文件中写明10条整改措施，实际识别出5条整改措施，请核对');
    expect(warnings).toContain('1条措施未写明整改时限，已登记为“时限待定”，可用 /deadline 设定，或在台账中补上后重新导入');
  });

  it('reports a bad deadline with its paragraph', async () => {
    const text = '（一）学习方面\n1、关于“学习不深入”方面\n一是建立制度。完成时限：尽快\n';
    const l = await parseLedgerFile('x.txt', new TextEncoder().encode(text), ctx);
    expect(l.errors.map(formatIssue)).toEqual(['第3段：无法识别的整改时限“尽快”']);
  });

  it('reads a docx built with the docx package', async () => {
    const doc = new Document({
      sections: [
        {
          children: ['（一）作风方面', '1．关于“纪律松散”问题', '一是严格考勤。完成时限：2024年12月31日', '二是定期检查。完成时限：长期坚持'].map(
            (t) => new Paragraph({ text: t }),
          ),
        },
      ],
    });
    const bytes = new Uint8Array(await Packer.toBuffer(doc));
    const l = await parseLedgerFile('plan.docx', bytes, ctx);
    expect(allMeasures(l).map((m) => [m.code, m.text, m.deadline.dueDate ?? m.deadline.kind])).toEqual([
      ['1.1.1', '严格考勤。', '2024-12-31'],
      ['1.1.2', '定期检查。', 'ongoing'],
    ]);
  });

  it('says what it expected when a document has no measures', async () => {
    const l = await parseLedgerFile('x.txt', new TextEncoder().encode('一是学习。二是落实。\n'), ctx);
    expect(l.errors[0]!.message).toContain('没有找到可以导入的整改问题和措施');
  });

  it('reads declared counts and Chinese numerals', () => {
    expect(declaredCounts('针对巡察反馈意见中指出的5项43个问题，制定了43条整改措施')).toEqual({ categories: 5, problems: 43, measures: 43 });
    expect(declaredCounts('共反馈十二个问题，整改措施二十一条')).toEqual({ problems: 12, measures: 21 });
    expect(chineseNumber('四十三')).toBe(43);
    expect(problemTitle('关于“廉政风险隐患突”出方面。')).toBe('廉政风险隐患突出');
  });
});

describe('a plan laid out as 一、类别 （一）问题 1.措施', () => {
  const plan = () =>
    parseDocumentText(fixtureText('rectification-plan.txt'), { fileName: 'rectification-plan.txt', format: 'txt' }, { referenceDate: '2024-12-01' });

  it('reads categories, problems and numbered measures with their departments and deadlines', async () => {
    const ledger = await plan();
    expect(ledger.errors).toEqual([]);
    expect(ledger.categories.map((c) => c.title)).toEqual(['学习贯彻党的创新理论不深入', '财务管理不规范']);
    expect(ledger.categories[0]!.problems.map((p) => p.title)).toEqual(['理论学习中心组学习不规范', '学习成果转化不够']);
    const measures = ledger.categories.flatMap((c) => c.problems.flatMap((p) => p.measures));
    expect(measures.map((m) => [m.code, m.text, m.department ?? null, m.deadline.kind, m.deadline.dueDate ?? null])).toEqual([
      ['1.1.1', '建立“第一议题”制度，每次党组会首先学习', '办公室', 'immediate_ongoing', null],
      ['1.1.2', '制定年度学习计划并印发', '宣教部', 'dated', '2025-03-31'],
      ['1.2.1', '开展专题研讨，形成调研报告', null, 'dated', '2025-06-30'],
      ['2.1.1', '修订财务管理制度', '财务部', 'dated', '2025-04-30'],
      ['2.1.2', '开展财务专项检查', '财务部', 'ongoing', null],
    ]);
    expect(ledger.warnings.map((w) => w.message).join('\n')).toContain('按“一、类别 （一）问题 1.措施”的层级识别');
  });

  it('keeps the preamble enumeration and the closing section out of the measures', async () => {
    const texts = (await plan()).categories.flatMap((c) => c.problems.flatMap((p) => p.measures.map((m) => m.text))).join('\n');
    expect(texts).not.toContain('提高站位');
    expect(texts).not.toContain('领导小组');
  });
});
