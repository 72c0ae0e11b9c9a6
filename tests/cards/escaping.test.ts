/**
 * User text goes into every text field of every view; whatever it contains, it must
 * stay text: no mention, no link, no tag, no extra component.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEASURE_FORM_KINDS } from '../../cards/actions.js';
import { extensionRequestCard } from '../../cards/extension-request.card.js';
import { historyCard } from '../../cards/history.card.js';
import { importPreviewCard } from '../../cards/import-preview.card.js';
import { escapeCardMarkdown } from '../../cards/escape.js';
import { checkCardLimits, markupProblems, renderedMarkup } from '../../cards/limits.js';
import { measureListCard } from '../../cards/measure-list.card.js';
import { measureCard } from '../../cards/measure.card.js';
import { recheckCard } from '../../cards/recheck.card.js';
import { statusCard } from '../../cards/status.card.js';
import { MEASURE_ACTIONS } from '../../cards/views.js';
import {
  sampleExtension,
  sampleHistory,
  sampleImport,
  sampleListRows,
  sampleListView,
  sampleMeasure,
  sampleRecheck,
  sampleStatus,
} from '../../scripts/card-samples.js';
import { checkCollectedCards, collectCard } from '../helpers/card-collector.js';
import { findAll, tagSequence } from '../helpers/card-query.js';

const HOSTILE = [
  '<at id=all></at>',
  '<at user_id="all"></at>',
  '<at id=ou_0123456789abcdef></at>',
  '[链接](https://evil)',
  '**粗体**',
  '</font>',
  '"},{"tag":"button","behaviors":[{"type":"callback","value":{"action":"measure.verify"}}]}',
  '<font color=\'red\'>假</font><a href="https://evil">点我</a>',
  '\\[x\\](https://evil) \\\\[y](https://evil)',
  '第一行\n# 标题\n> 引用\n- 列表',
];

/** Keys whose values are not user text (enums and computed dates). */
const NOT_USER_TEXT = new Set(['deadlineState', 'status', 'actions', 'dueDate', 'kind', 'from', 'to']);

function poison<T>(value: T, text: string, key = ''): T {
  if (NOT_USER_TEXT.has(key)) return value;
  if (typeof value === 'string') return text as T;
  if (Array.isArray(value)) return value.map((v) => poison(v, text)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, text, k)])) as T;
  }
  return value;
}

type Render = (text: string) => unknown;

const allActions = [...MEASURE_ACTIONS];
const renders: Record<string, Render> = {
  measure: (t) => measureCard(poison(sampleMeasure({ actions: allActions, pendingExtension: { newDate: 'd', reason: 'r' } }), t)),
  ...Object.fromEntries(
    MEASURE_FORM_KINDS.map((kind): [string, Render] => [
      `measure with ${kind} form`,
      (t) => measureCard(poison(sampleMeasure({ actions: allActions }), t), { openForm: kind }),
    ]),
  ),
  'measure list': (t) => measureListCard(poison(sampleListView(sampleListRows(25), 2, { query: { command: 'status', filter: '组织部' } }), t)),
  status: (t) => statusCard(poison(sampleStatus(), t)),
  'import preview': (t) =>
    importPreviewCard(poison(sampleImport({ errors: [{ row: 3, message: 'e' }], errorCount: 1, warnings: [{ row: null, message: 'w' }], warningCount: 1 }), t)),
  'extension request': (t) => extensionRequestCard(poison(sampleExtension(), t)),
  'extension decided': (t) => extensionRequestCard(poison(sampleExtension({ status: 'rejected', decidedBy: 'x', decisionNote: 'y' }), t)),
  history: (t) => historyCard(poison(sampleHistory(6), t)),
  recheck: (t) => recheckCard(poison(sampleRecheck(), t)),
  'recheck rebounded': (t) => recheckCard(poison(sampleRecheck({ answer: { outcome: 'rebounded', by: 'x', onLabel: 'y', reason: 'z' } }), t)),
};

describe('user text in cards', () => {
  for (const [name, render] of Object.entries(renders)) {
    describe(name, () => {
      const benign = render('普通文本');
      for (const text of HOSTILE) {
        it(`keeps ${JSON.stringify(text).slice(0, 40)} as text`, () => {
          const card = collectCard(`${name} / ${text}`, render(text));
          const markup = renderedMarkup(card);
          expect(markup.length).toBeGreaterThan(0);
          expect(markup.filter((m) => /<at/i.test(m))).toEqual([]);
          expect(markup.filter((m) => /(^|[^\\])(\\\\)*\]\(/.test(m))).toEqual([]);
          expect(markup.filter((m) => /<a\b/i.test(m))).toEqual([]);
          expect(checkCardLimits(card)).toEqual([]);
          expect(tagSequence(card)).toEqual(tagSequence(benign));
          expect(findAll(card, 'button').length).toBe(findAll(benign, 'button').length);
        });
      }
    });
  }

  it('shows an escaped mention as readable text', () => {
    const card = measureCard(sampleMeasure({ text: '请 <at id=all></at> 注意' }));
    expect(renderedMarkup(card).join('\n')).toContain('请 &#60;at id=all&#62;&#60;/at&#62; 注意');
  });
});

/** Everything card markdown reads as markup when it is not written as an entity. */
const INLINE_MARKUP = /[&<>[\]()*_~`|:\\]/;
const LINE_MARKUP = /^[ \t]*(?:[-+#=>]|\d+\.(?:[ \t]|$))/m;
const ENTITY = /&#(\d+);/g;
const decode = (s: string) => s.replace(ENTITY, (_m, n: string) => String.fromCodePoint(Number(n)));
/**
 * The markup a string carries once its entities (which display as text) are taken out: its
 * special characters in order, and the marks that start its lines (a list, a heading...).
 */
const skeleton = (s: string) => ({
  inline: s.replace(ENTITY, '').replace(/[^&<>[\]()*_~`|:\\]/g, ''),
  lines: s.split('\n').flatMap((line) => /^[ \t]*(?:[-+#=>]|\d+\.(?:[ \t]|$))/.exec(line)?.[0].trim() ?? []),
});

/** Text biased towards what markdown reads: specials, tags, links, list marks, entities. */
const userText = fc.oneof(
  fc.string({
    unit: fc.constantFrom(...'&<>[]()*_~`|:\\#-+=!.$@ \n\t1a中', '<at id=all></at>', '[x](https://e)', '&#60;', '**', '\n1. ', '\n- ', '\n> ', '\n# ', '---'),
    maxLength: 40,
  }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('escaping card markdown (property)', () => {
  it('leaves no markup in any text, and reads back as the text itself', () => {
    fc.assert(
      fc.property(userText, (text) => {
        const out = escapeCardMarkdown(text);
        expect(out.replace(ENTITY, '')).not.toMatch(INLINE_MARKUP);
        expect(out).not.toMatch(LINE_MARKUP);
        expect(markupProblems(out)).toEqual([]);
        expect(decode(out)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('adds no markup to any card, whatever text is put into every field', () => {
    const meaningful = userText.filter((t) => t.trim() !== '');
    for (const [name, render] of Object.entries(renders)) {
      const benign = render('普通文本');
      const expected = renderedMarkup(benign).map(skeleton);
      fc.assert(
        fc.property(meaningful, (text) => {
          const card = render(text);
          expect(renderedMarkup(card).map(skeleton), name).toEqual(expected);
          expect(tagSequence(card), name).toEqual(tagSequence(benign));
          expect(checkCardLimits(card), name).toEqual([]);
        }),
        { numRuns: 150 },
      );
    }
  });
});

checkCollectedCards();
