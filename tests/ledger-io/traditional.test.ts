import { describe, expect, it, vi } from 'vitest';
import { allMeasures } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { looksTraditional } from '../../src/ledger-io/text-layouts/traditional.js';
import { fixture } from './fixtures.js';

/** The converter's dictionaries are large: they load only for a Traditional text, and once. */

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('opencc-js/t2cn', async (importOriginal) => {
  loads.count++;
  return importOriginal();
});

const ctx = { referenceDate: '2025-05-01' };

describe('Traditional characters', () => {
  it('load the converter only for a text that looks Traditional, and only once', async () => {
    const simplified = await parseLedgerFile('plan.txt', fixture('layouts/plan-numbered-levels.txt'), ctx);
    await parseLedgerFile('notice.txt', fixture('hulin-union-progress-report-2024.txt'), ctx);
    expect(loads.count).toBe(0);
    const traditional = await parseLedgerFile('plan.txt', fixture('layouts/plan-numbered-levels-traditional.txt'), ctx);
    await parseLedgerFile('plan.txt', fixture('layouts/plan-numbered-levels-traditional.txt'), ctx);
    expect(loads.count).toBe(1);
    expect(allMeasures(traditional).map((m) => m.text)).toEqual(allMeasures(simplified).map((m) => m.text));
  });

  it('tells a Traditional text from a Simplified one that quotes a few Traditional characters', () => {
    expect(looksTraditional('關於巡察反饋問題整改情況的報告')).toBe(true);
    expect(looksTraditional('党组书记题写了“為人民服務”匾额，并组织干部开展学习，引用了《學習綱要》中的论述，要求全体党员对照检查。')).toBe(false);
    const notice = new TextDecoder().decode(fixture('hulin-union-progress-report-2024.txt'));
    expect(looksTraditional(`${notice}\n引自《關於黨組工作的報告》`)).toBe(false);
  });
});
