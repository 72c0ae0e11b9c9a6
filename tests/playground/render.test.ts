/**
 * The playground's card renderer (card JSON 2.0 -> HTML): every gallery card renders without a
 * problem, whatever it cannot show is a visible error block, and no card text becomes markup.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardSamples, sampleMeasure, sampleWeeklySummary } from '../../scripts/card-samples.js';
import { measureCard } from '../../cards/measure.card.js';
import { weeklySummaryCard } from '../../cards/weekly-summary.card.js';
import { renderCardHtml } from '../../src/playground/render/card-html.js';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every component with a tag, depth first (chart specs and table rows are data). */
function components(v: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(v)) v.forEach((x) => components(x, out));
  else if (isNode(v)) {
    if (typeof v.tag === 'string') out.push(v);
    for (const [k, c] of Object.entries(v)) if (k !== 'chart_spec' && k !== 'rows') components(c, out);
  }
  return out;
}

const buttonTexts = (card: unknown) => components(card).flatMap((n) => (n.tag === 'button' ? [String((n.text as Node).content)] : []));

/** Undoes escapeHtml, to compare what a browser would show with the card's text. */
const shownText = (s: string) => s.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e as 'lt']!);

type Tag = { name: string; attrs: Record<string, string> };

/**
 * The start tags of the output. The renderer writes only double-quoted attributes and escapes
 * every `<`, `>` and `"` of text, so a start tag is exactly this pattern; any other `<` in the
 * output is a break-out and fails the parse.
 */
function startTags(html: string): Tag[] {
  const tags: Tag[] = [];
  const re = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:="[^"<>]*")?)*)\s*\/?>/gy;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    re.lastIndex = lt;
    const m = re.exec(html);
    if (!m) throw new Error(`stray "<" at ${lt}: ${html.slice(lt, lt + 60)}`);
    if (!m[1]) {
      const attrs: Record<string, string> = {};
      for (const a of m[3]!.matchAll(/([a-zA-Z][a-zA-Z0-9-]*)(?:="([^"]*)")?/g)) attrs[a[1]!.toLowerCase()] = a[2] ?? '';
      tags.push({ name: m[2]!, attrs });
    }
    i = re.lastIndex;
  }
  return tags;
}

/** Tags and attributes the renderer may write; nothing else may come out of card content. */
const HTML_TAGS = new Set(
  'div span strong em s a br hr button form label input textarea select option table thead tbody tr th td figure figcaption svg line text rect polyline circle'.split(
    ' ',
  ),
);
const ATTRS = new Set(
  'class style href target rel type name value placeholder required disabled selected hidden rows maxlength role aria-label aria-current novalidate x y x1 x2 y1 y2 cx cy r width height points viewbox text-anchor'.split(
    ' ',
  ),
);

function assertOnlyRendererMarkup(html: string): void {
  for (const tag of startTags(html)) {
    expect(HTML_TAGS, `element <${tag.name}>`).toContain(tag.name);
    for (const [name, value] of Object.entries(tag.attrs)) {
      expect(name.startsWith('data-') || ATTRS.has(name), `attribute ${name} on <${tag.name}>`).toBe(true);
      if (name === 'href') expect(value).toMatch(/^(https?:\/\/|mailto:|lark:\/\/)/i);
      if (name === 'style') expect(value).toMatch(/^[a-z:;\-\d. ()%]*$/);
    }
  }
}

describe('renderCardHtml on the card gallery', () => {
  const samples = cardSamples();

  it.each(samples.map((s) => [`${s.type}--${s.state}`, s.card] as const))('%s renders without problems, with every button', (_name, card) => {
    const { html, problems } = renderCardHtml(card);
    expect(problems).toEqual([]);
    expect(html).not.toContain('fc-error');
    expect(html.startsWith('<div class="fc-card" data-testid="card">')).toBe(true);
    const rendered = [...html.matchAll(/<button type="button"[^>]*>([^<]*)<\/button>/g)].map((m) => shownText(m[1]!));
    for (const text of buttonTexts(card)) expect(rendered).toContain(text);
    assertOnlyRendererMarkup(html);
  });
});

describe('what the renderer cannot show is a visible error block', () => {
  const base = () => structuredClone(measureCard(sampleMeasure(), { openForm: 'report' })) as unknown as { body: { elements: Node[] } };

  it('an unknown tag at the root', () => {
    const card = base();
    card.body.elements.splice(1, 0, { tag: 'person_list', persons: [] });
    const { html, problems } = renderCardHtml(card);
    expect(problems).toEqual(['$.body.elements[1]: 未知组件 “person_list”']);
    expect(html).toMatch(/<div class="fc-error" role="alert">未知组件 “person_list”/);
  });

  it('an unknown property deep inside a form', () => {
    const card = base();
    const input = components(card).find((n) => n.tag === 'input')!;
    input.icon = { tag: 'standard_icon', token: 'edit' };
    const { html, problems } = renderCardHtml(card);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\$\.body\.elements\[\d+\]\.elements\[0\]\.icon: 未知属性 “icon”（input）$/);
    expect(html).toContain('未知属性 “icon”（input）');
  });

  it('an unknown property on a button inside a column, on the header, and a bad enum value', () => {
    const card = base() as unknown as { header: Node; body: { elements: Node[] } };
    const button = components(card).find((n) => n.tag === 'button')!;
    button.icon = {};
    card.header.ud_icon = {};
    components(card).find((n) => n.tag === 'markdown')!.text_size = 'huge';
    const { html, problems } = renderCardHtml(card);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/header\.ud_icon: 未知属性/);
    expect(problems.join('\n')).toMatch(/\.icon: 未知属性 “icon”（button）/);
    expect(problems.join('\n')).toMatch(/text_size: 不支持的取值 text_size: "huge"/);
    expect(html.match(/class="fc-error"/g)).toHaveLength(3);
  });

  it('a component in a place it cannot sit, and markup the renderer does not know', () => {
    const card = base();
    const column = components(card).find((n) => n.tag === 'column')!;
    (column.elements as Node[]).push({ tag: 'table', columns: [], rows: [] });
    card.body.elements.push({ tag: 'markdown', content: '见 <link icon=x>附件</link>' });
    const { html, problems } = renderCardHtml(card);
    expect(problems).toHaveLength(2);
    expect(html).toContain('组件 “table” 不能放在分栏中');
    expect(html).toContain('不支持的 Markdown 标记 &lt;link&gt;');
  });

  it('something that is not a card at all', () => {
    expect(renderCardHtml('oops').problems).toEqual(['$: 卡片应为 JSON 对象']);
    expect(renderCardHtml({ schema: '1.0', elements: [] }).problems).toEqual([
      '$.elements: 未知属性 “elements”（卡片）',
      '$.schema: 只支持卡片 JSON 2.0（schema: "1.0"）',
      '$.body: 卡片缺少 body',
    ]);
  });
});

describe('a malformed card never breaks the renderer', () => {
  const samples = cardSamples();

  /** Every path to a value inside the card, so any of them can be replaced. */
  function paths(v: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []) {
    out.push(at);
    if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
    else if (isNode(v)) for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
    return out;
  }

  it('any value anywhere renders (with its problems) and stays inside the renderer markup', () => {
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.nat(), fc.jsonValue({ maxDepth: 3 }), (sampleIndex, pathIndex, replacement) => {
        const card = structuredClone(samples[sampleIndex]!.card) as unknown;
        const all = paths(card).filter((p) => p.length > 0);
        const path = all[pathIndex % all.length]!;
        const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], card);
        parent[path[path.length - 1]!] = replacement;
        const { html, problems } = renderCardHtml(card);
        expect(html.startsWith('<div class="fc-card" data-testid="card">')).toBe(true);
        assertOnlyRendererMarkup(html);
        // every problem is shown: one error block per problem
        expect(html.match(/<div class="fc-error" role="alert">/g)?.length ?? 0).toBe(problems.length);
      }),
      { numRuns: 500 },
    );
  });
});

const card = (elements: unknown[], header?: Node) => ({
  schema: '2.0',
  config: { update_multi: true },
  ...(header ? { header } : {}),
  body: { elements },
});
const md = (content: string) => card([{ tag: 'markdown', content }]);
const bodyOf = (html: string) => html.replace(/^<div class="fc-card" data-testid="card"><div class="fc-body">|<\/div><\/div>$/g, '');

describe('markdown', () => {
  it('bold, italic, strikethrough, colour and links', () => {
    const { html, problems } = renderCardHtml(md("**粗** *斜* ~~删~~ <font color='red'>红</font> [文档](https://example.com/a?b=1&c=2)"));
    expect(problems).toEqual([]);
    expect(bodyOf(html)).toBe(
      '<div class="fc-markdown"><div class="fc-md-line"><strong>粗</strong> <em>斜</em> <s>删</s> <span class="fc-font fc-c-red">红</span> ' +
        '<a class="fc-link" href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">文档</a></div></div>',
    );
  });

  it('mentions: the name from mentionName, else the id; @所有人 for all', () => {
    const names: Record<string, string> = { ou_a: '王芳' };
    const { html } = renderCardHtml(md('<at id=ou_a></at> <at id="ou_b"></at> <at id=all></at>'), { mentionName: (id) => names[id] });
    expect(html).toContain('<span class="fc-at" data-at="ou_a">@王芳</span>');
    expect(html).toContain('<span class="fc-at" data-at="ou_b">@ou_b</span>');
    expect(html).toContain('<span class="fc-at" data-at="all">@所有人</span>');
  });

  it('entities show as their character and are never read as markup', () => {
    const { html, problems } = renderCardHtml(
      md('&#60;script&#62;alert(1)&#60;/script&#62; &#42;&#42;不粗&#42;&#42; &#91;x&#93;&#40;https://e&#41; &lt;b&gt;'),
    );
    expect(problems).toEqual([]);
    expect(bodyOf(html)).toBe(
      '<div class="fc-markdown"><div class="fc-md-line">&lt;script&gt;alert(1)&lt;/script&gt; **不粗** [x](https://e) &lt;b&gt;</div></div>',
    );
  });

  it('lists and lines, as duban writes them', () => {
    const { html } = renderCardHtml(md('**逾期清单（2 项）**\n- **1.2.4** 甲\n- **1.2.5** 乙'));
    expect(html.match(/class="fc-md-li"/g)).toHaveLength(2);
    expect(html).toContain('<span class="fc-md-bullet">•</span><span class="fc-md-li-body"><strong>1.2.4</strong> 甲</span>');
  });

  it('an indented line continues the list item above it', () => {
    const { html } = renderCardHtml(md('- **2.2.1** 措施\n  组织部 · **已逾期 1 天**'));
    expect(bodyOf(html)).toBe(
      '<div class="fc-markdown"><div class="fc-md-li"><span class="fc-md-bullet">•</span><span class="fc-md-li-body"><strong>2.2.1</strong> 措施</span></div>' +
        '<div class="fc-md-li"><span class="fc-md-bullet"></span><span class="fc-md-li-body">组织部 · <strong>已逾期 1 天</strong></span></div></div>',
    );
  });

  it('unclosed emphasis stays as typed; a link to anything but http(s) is no link', () => {
    const { html, problems } = renderCardHtml(md('2 * 3 = **6 [x](javascript:alert`1`)'));
    expect(html).not.toContain('<a ');
    expect(html).toContain('2 * 3 = **6');
    expect(problems).toHaveLength(1);
  });
});

describe('components and the hooks the playground relies on', () => {
  it('header: title, subtitle, template colour and tags', () => {
    const { html } = renderCardHtml(
      card([], {
        title: { tag: 'plain_text', content: '整改措施 1.2.4' },
        subtitle: { tag: 'plain_text', content: '组织部' },
        template: 'orange',
        text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: '整改中' }, color: 'orange' }],
      }),
    );
    expect(html).toContain(
      '<div class="fc-header fc-t-orange"><div class="fc-title-row"><div class="fc-title">整改措施 1.2.4</div><span class="fc-tag fc-t-orange fc-c-orange">整改中</span></div><div class="fc-subtitle">组织部</div></div>',
    );
  });

  it('plain text with lines is clamped, and shown exactly as typed', () => {
    const { html } = renderCardHtml(
      card([{ tag: 'div', text: { tag: 'plain_text', content: '**a** &#60;', lines: 3, text_size: 'notation', text_color: 'grey' } }]),
    );
    expect(bodyOf(html)).toBe('<div class="fc-text fc-size-notation fc-c-grey fc-clamp" style="-webkit-line-clamp:3">**a** &amp;#60;</div>');
  });

  it('buttons: callback value, confirm, disabled, type and width; form submit with its name', () => {
    const value = { action: 'measure.verify', measureId: 7, note: '"<引号>"' };
    const { html, problems } = renderCardHtml(
      card([
        {
          tag: 'button',
          text: { tag: 'plain_text', content: '查看记录' },
          type: 'default',
          size: 'small',
          behaviors: [{ type: 'callback', value }],
          disabled: true,
        },
        {
          tag: 'form',
          name: 'f',
          elements: [
            {
              tag: 'button',
              text: { tag: 'plain_text', content: '通过销号' },
              type: 'primary_filled',
              width: 'fill',
              name: 'f_submit',
              form_action_type: 'submit',
              behaviors: [{ type: 'callback', value }],
              confirm: { title: { tag: 'plain_text', content: '通过销号' }, text: { tag: 'plain_text', content: '确认？' } },
            },
          ],
        },
      ]),
    );
    expect(problems).toEqual([]);
    const tags = startTags(html).filter((t) => t.name === 'button');
    expect(tags[0]!.attrs).toMatchObject({ type: 'button', class: 'fc-btn fc-btn-default fc-btn-small', disabled: '' });
    expect(JSON.parse(shownText(tags[0]!.attrs['data-value']!))).toEqual(value);
    expect(tags[1]!.attrs).toMatchObject({ class: 'fc-btn fc-btn-primary_filled fc-btn-medium fc-w-fill', 'data-form-submit': '', 'data-name': 'f_submit' });
    expect(JSON.parse(shownText(tags[1]!.attrs['data-confirm']!))).toEqual({ title: '通过销号', text: '确认？' });
    expect(html).toContain('<form class="fc-form" data-fc-form data-name="f" novalidate>');
  });

  it('form fields carry their names, required, placeholders and initial values', () => {
    const report = renderCardHtml(measureCard(sampleMeasure({ percent: 40 }), { openForm: 'report' })).html;
    expect(report).toMatch(
      /<textarea class="fc-input fc-textarea" name="report_text_7" required placeholder="请填写整改进展，可多行" maxlength="1000"[^>]*rows="3">/,
    );
    expect(report).toContain('<select class="fc-input fc-select" name="report_percent_7" required aria-label="请选择完成进度">');
    expect(report).toContain('<option value="40" selected>40%</option>');
    expect(report).toContain('<option value="" disabled>请选择完成进度</option>');
    const extend = renderCardHtml(measureCard(sampleMeasure(), { openForm: 'extend' })).html;
    expect(extend).toMatch(/<input class="fc-input fc-date" type="date" name="extend_date_7" required [^>]*value="2025-03-31">/);
  });

  it('a table renders every row, paged by pager buttons', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ dept: `**部门${i}**`, n: i }));
    const { html, problems } = renderCardHtml(
      card([
        {
          tag: 'table',
          page_size: 5,
          columns: [
            { name: 'dept', display_name: '部门', data_type: 'lark_md' },
            { name: 'n', display_name: '数量', data_type: 'number' },
          ],
          rows,
        },
      ]),
    );
    expect(problems).toEqual([]);
    expect(html).toContain('<th class="fc-th">部门</th><th class="fc-th fc-th-number">数量</th>');
    expect(html.match(/<tr data-fc-page-of="1">/g)).toHaveLength(5);
    expect(html.match(/<tr data-fc-page-of="2" hidden>/g)).toHaveLength(5);
    expect(html.match(/<tr data-fc-page-of="3" hidden>/g)).toHaveLength(2);
    expect(html.match(/data-fc-page="\d"/g)).toEqual(['data-fc-page="1"', 'data-fc-page="2"', 'data-fc-page="3"']);
    expect(html).toContain('<td class="fc-td fc-td-lark_md"><strong>部门11</strong></td><td class="fc-td fc-td-number">11</td>');
  });

  it('a table row value that is no column is reported', () => {
    const { problems } = renderCardHtml(card([{ tag: 'table', columns: [{ name: 'a', data_type: 'text' }], rows: [{ a: 'x', b: 'y' }] }]));
    expect(problems).toEqual(['$.body.elements[0].rows[0].b: 行中的 “b” 不是表格的列']);
  });
});

describe('chart', () => {
  const points = (html: string) => html.match(/<circle class="fc-chart-point"/g)?.length ?? 0;

  it('the weekly summary trend is an SVG line with one point per week', () => {
    const trend = Array.from({ length: 9 }, (_, i) => ({ label: `第${30 + i}周`, rate: i / 10 }));
    const { html, problems } = renderCardHtml(weeklySummaryCard(sampleWeeklySummary(3, { trend })));
    expect(problems).toEqual([]);
    expect(html).toContain('<svg class="fc-chart-svg"');
    expect(html).toContain('data-points="9"');
    expect(points(html)).toBe(9);
    expect(html).toContain('<figcaption class="fc-chart-title">完成率走势（%）</figcaption>');
    expect(html).toContain('>第30周</text>');
  });

  it('a bar chart has one bar per datum; a chart type it cannot draw is an error', () => {
    const spec = (type: string, n: number) =>
      card([
        { tag: 'chart', chart_spec: { type, data: { values: Array.from({ length: n }, (_, i) => ({ k: `k${i}`, v: i * 3 })) }, xField: 'k', yField: 'v' } },
      ]);
    const bar = renderCardHtml(spec('bar', 4));
    expect(bar.problems).toEqual([]);
    expect(bar.html.match(/<rect class="fc-chart-bar"/g)).toHaveLength(4);
    const pie = renderCardHtml(spec('pie', 4));
    expect(pie.problems).toEqual(['$.body.elements[0].chart_spec.type: 图表类型 “pie” 无法绘制（支持 line、bar）']);
  });
});

describe('escaping: card text never becomes markup', () => {
  const fragment = fc.oneof(
    fc.constantFrom(
      '<',
      '>',
      '"',
      "'",
      '&',
      '=',
      '/',
      ' ',
      '*',
      '**',
      '~~',
      '[',
      '](',
      ')',
      '\n',
      '- ',
      '# ',
      '<script>',
      '</script>',
      '<img src=x onerror=alert(1)>',
      '" onerror="alert(1)',
      "' onmouseover='x",
      'javascript:alert(1)',
      '&#60;',
      '&#x3c;img&#62;',
      '&lt;',
      '&quot;',
      '<at id=all></at>',
      '<at id="x" onclick=y></at>',
      "<font color='red'>",
      '<font color=\'red" onclick="x\'>',
      '</font>',
      '<br>',
      '[a](https://x"><img src=x>)',
      '<svg onload=alert(1)>',
      '<style>',
      '</div>',
      '<!--',
    ),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  );
  const text = fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join(''));

  const plainText = (content: string) => ({ tag: 'plain_text', content });
  const everywhere = (t: string) =>
    card(
      [
        { tag: 'markdown', content: t },
        { tag: 'div', text: plainText(t) },
        { tag: 'button', text: plainText(t.slice(0, 100)), behaviors: [{ type: 'callback', value: { action: t } }] },
        {
          tag: 'table',
          columns: [
            { name: 'c', display_name: t, data_type: 'lark_md' },
            { name: 'd', display_name: t, data_type: 'text' },
          ],
          rows: [{ c: t, d: t }],
        },
        {
          tag: 'form',
          name: t || 'f',
          elements: [
            { tag: 'input', name: `${t}i`, label: plainText(t), placeholder: plainText(t.slice(0, 100)), default_value: t },
            { tag: 'select_static', name: `${t}s`, placeholder: plainText(t.slice(0, 100)), options: [{ text: plainText(t), value: t || 'v' }] },
            {
              tag: 'button',
              text: plainText(t.slice(0, 100)),
              name: `${t}b`,
              form_action_type: 'submit',
              confirm: { title: plainText(t), text: plainText(t) },
              behaviors: [{ type: 'callback', value: { t } }],
            },
          ],
        },
        { tag: 'chart', chart_spec: { type: 'line', title: { text: t }, data: { values: [{ x: t, y: 1 }] }, xField: 'x', yField: 'y' } },
      ],
      { title: plainText(t), subtitle: plainText(t), template: 'blue', text_tag_list: [{ tag: 'text_tag', text: plainText(t), color: 'blue' }] },
    );

  it('any text anywhere yields only the elements and attributes the renderer writes', () => {
    fc.assert(
      fc.property(text, (t) => {
        const { html } = renderCardHtml(everywhere(t));
        assertOnlyRendererMarkup(html);
        // text is escaped, so these can only be real tags
        expect(html).not.toMatch(/<(script|img|style|iframe|svg onload)|<!--/i);
        for (const tag of startTags(html)) expect(Object.keys(tag.attrs).filter((a) => a.startsWith('on'))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('user text escaped by the card builders shows exactly as typed', () => {
    const problemLine = (html: string) => /<div class="fc-md-line"><strong>问题<\/strong>：([\s\S]*?)<\/div>/.exec(html)?.[1];
    fc.assert(
      fc.property(
        text.map((t) => t.replace(/\n/g, ' ')),
        (t) => {
          const { html, problems } = renderCardHtml(measureCard(sampleMeasure({ problemTitle: t })));
          expect(problems).toEqual([]);
          const shown = problemLine(html);
          expect(shown, 'the 问题 line is one line of text').toBeDefined();
          expect(shown).not.toContain('<');
          expect(shownText(shown!)).toBe(t);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('plain text, button text and titles keep the structure of harmless text and show the text as typed', () => {
    const shape = (html: string) => startTags(html).map((tag) => tag.name);
    const plainOnly = (t: string) =>
      card(
        [
          { tag: 'div', text: plainText(t) },
          { tag: 'button', text: plainText(t) },
        ],
        { title: plainText(t) },
      );
    fc.assert(
      fc.property(text, (t) => {
        const { html } = renderCardHtml(plainOnly(t));
        expect(shape(html)).toEqual(shape(renderCardHtml(plainOnly('x')).html));
        const button = /<button type="button"[^>]*>([^<]*)<\/button>/.exec(html)!;
        expect(shownText(button[1]!)).toBe(t);
      }),
      { numRuns: 300 },
    );
  });
});
