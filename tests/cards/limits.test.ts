import { describe, expect, it } from 'vitest';
import { MEASURE_REPORT } from '../../cards/actions.js';
import { button, card, form, link, markdown, md, submitButton, textInput, type Card, type CardElement } from '../../cards/elements.js';
import { CARD_MAX_BYTES, cardRequestBytes, checkCardLimits, markupProblems } from '../../cards/limits.js';
import { Markup } from '../../cards/elements.js';

function cardWith(elements: CardElement[]): Card {
  return card({ title: '测试', template: 'blue', elements });
}

const rules = (c: unknown) => checkCardLimits(c).map((v) => v.rule);
const ok = { action: MEASURE_REPORT, measureId: 1, version: 1 } as const;

function nestColumns(depth: number, inner: CardElement): CardElement {
  let el = inner;
  for (let i = 0; i < depth; i++) el = { tag: 'column_set', columns: [{ tag: 'column', elements: [el] }] };
  return el;
}

describe('checkCardLimits', () => {
  it('accepts a small well-formed card', () => {
    expect(checkCardLimits(cardWith([markdown(md`${'你好'}`)]))).toEqual([]);
  });

  it('requires schema 2.0 and update_multi true', () => {
    const c = cardWith([]);
    expect(rules({ ...c, schema: '1.0' })).toContain('schema');
    expect(rules({ ...c, config: { update_multi: false } })).toContain('schema');
    expect(rules({ ...c, config: {} })).toContain('schema');
    expect(rules('not a card')).toEqual(['schema']);
  });

  it('measures the size as the request body that carries the card', () => {
    const big = cardWith([markdown(new Markup('汉'.repeat(11_000)))]);
    expect(new TextEncoder().encode(JSON.stringify(big)).length).toBeGreaterThan(CARD_MAX_BYTES);
    expect(rules(big)).toContain('size');
    // quotes are escaped once more inside the request body, so a card just under 30 KB
    // on its own can still be too large to send
    const quotes = cardWith(Array.from({ length: 120 }, () => markdown(new Markup('"'.repeat(100)))));
    expect(JSON.stringify(quotes).length).toBeLessThan(CARD_MAX_BYTES);
    expect(cardRequestBytes(quotes)).toBeGreaterThan(CARD_MAX_BYTES);
    expect(rules(quotes)).toContain('size');
  });

  it('counts components recursively, text elements included', () => {
    const under = cardWith(Array.from({ length: 98 }, () => button({ label: '按钮', value: ok })));
    expect(rules(under)).not.toContain('components'); // 98 buttons + 98 texts + header texts
    const over = cardWith(Array.from({ length: 100 }, () => button({ label: '按钮', value: ok })));
    expect(rules(over)).toContain('components');
  });

  it('allows containers five deep, not six', () => {
    // a column_set and its column are two levels each
    const five = cardWith([{ tag: 'column_set', columns: [{ tag: 'column', elements: [nestColumns(1, { tag: 'column_set', columns: [] })] }] }]);
    expect(rules(five)).not.toContain('depth');
    const six = cardWith([nestColumns(3, markdown(md`x`))]);
    expect(rules(six)).toContain('depth');
  });

  it('requires unique non-empty names inside forms and a submit button', () => {
    const unnamed = cardWith([form('f1', [{ tag: 'input' }, submitButton({ name: 's1', label: '提交', value: ok })])]);
    expect(rules(unnamed)).toEqual(['form_names']);
    const emptyName = cardWith([form('f1', [{ tag: 'input', name: '' }, submitButton({ name: 's1', label: '提交', value: ok })])]);
    expect(rules(emptyName)).toEqual(['form_names']);
    const duplicate = cardWith([
      form('f1', [textInput({ name: 'a', label: 'A', placeholder: 'a' }), submitButton({ name: 's1', label: '提交', value: ok })]),
      form('f2', [textInput({ name: 'a', label: 'A', placeholder: 'a' }), submitButton({ name: 's2', label: '提交', value: ok })]),
    ]);
    expect(rules(duplicate)).toEqual(['form_names']);
    const noSubmit = cardWith([form('f1', [textInput({ name: 'a', label: 'A', placeholder: 'a' })])]);
    expect(rules(noSubmit)).toEqual(['form_submit']);
    const unnamedForm = cardWith([form('', [submitButton({ name: 's1', label: '提交', value: ok })])]);
    expect(rules(unnamedForm)).toEqual(['form_names']);
  });

  it('keeps forms and tables at the card root', () => {
    const nested = cardWith([nestColumns(1, form('f', [submitButton({ name: 's', label: '提交', value: ok })]))]);
    expect(rules(nested)).toContain('placement');
  });

  it('refuses callback values without a known action', () => {
    const bad = cardWith([{ tag: 'button', text: { tag: 'plain_text', content: 'x' }, behaviors: [{ type: 'callback', value: { action: 'drop.tables' } }] }]);
    expect(rules(bad)).toEqual(['callback_value']);
    const stringValue = cardWith([{ tag: 'button', text: { tag: 'plain_text', content: 'x' }, behaviors: [{ type: 'callback', value: 'measure.report' }] }]);
    expect(rules(stringValue)).toEqual(['schema']); // the SDKs only take object values
  });

  it('refuses over-long button texts', () => {
    expect(rules(cardWith([button({ label: '长'.repeat(101), value: ok })]))).toEqual(['text_length']);
  });

  it('finds mentions, links and stray tags in markdown', () => {
    expect(rules(cardWith([markdown(new Markup('<at id=all></at>'))]))).toContain('markup');
    expect(rules(cardWith([markdown(new Markup('[链接](https://evil)'))]))).toContain('markup');
    // A link shown as its own URL (cards/elements.ts link) is allowed; one labelled otherwise is not.
    expect(rules(cardWith([markdown(link('https://x.gov.cn/a (1)[2]<b>'))]))).toEqual([]);
    expect(markupProblems('[https&#58;//good.example](https://evil.example)').length).toBeGreaterThan(0);
    expect(markupProblems('<at user_id="all"></at>')).toContain('raw <at> mention');
    expect(markupProblems('a</font>b')).toContain('unbalanced </font> at 1');
    expect(markupProblems("<font color='red'>x")).toContain('unclosed <font>');
    expect(markupProblems('<a href="https://evil">x</a>').length).toBeGreaterThan(0);
    expect(markupProblems('\\\\[x\\\\](y)').length).toBeGreaterThan(0); // escaped backslash, live bracket
    // backslash escapes are not the documented mechanism: they may show literally
    expect(markupProblems('2025\\-03\\-31')).toEqual(['backslash at 4 (escape with an entity)', 'backslash at 8 (escape with an entity)']);
    expect(markupProblems("&#91;x&#93;&#40;y&#41; <font color='red'>ok</font> &#60;at id=all&#62;")).toEqual([]);
  });
});
