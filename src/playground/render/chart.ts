/**
 * The chart component drawn as a small hand-written SVG: the line and bar charts of a VChart
 * spec (chart page: https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/chart),
 * with the keys duban uses. A key or chart type this drawing does not understand is reported,
 * not ignored, so a chart that would look different in Feishu is noticed.
 */
import { type RenderContext, problemBlock } from './context.js';
import { attr, escapeHtml } from './html-text.js';

const SPEC_KEYS = ['type', 'title', 'data', 'xField', 'yField', 'point', 'label', 'axes'];
const RATIOS: Record<string, number> = { '1:1': 1, '2:1': 0.5, '4:3': 0.75, '16:9': 9 / 16 };

const W = 600;
const MARGIN = { left: 56, right: 20, top: 36, bottom: 44 };

type Datum = { x: string; y: number };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `data: {values}` or `data: [{values}]` (VChart accepts both; only one series is drawn). */
function valuesOf(data: unknown): unknown[] | null {
  if (isRecord(data) && Array.isArray(data.values)) return data.values;
  if (Array.isArray(data) && data.length === 1 && isRecord(data[0]) && Array.isArray(data[0].values)) return data[0].values;
  return null;
}

/** A round upper bound for the y axis (1, 2 or 5 times a power of ten). */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((f) => f * p >= max) ?? 10) * p;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

export function chartHtml(node: Record<string, unknown>, ctx: RenderContext, path: string): string {
  const spec = node.chart_spec;
  if (!isRecord(spec)) return problemBlock(ctx, `${path}.chart_spec`, '图表缺少 chart_spec');
  const errors: string[] = [];
  for (const key of Object.keys(spec)) if (!SPEC_KEYS.includes(key)) errors.push(problemBlock(ctx, `${path}.chart_spec`, `图表属性 “${key}” 无法绘制`));
  const type = spec.type;
  if (type !== 'line' && type !== 'bar')
    return errors.join('') + problemBlock(ctx, `${path}.chart_spec.type`, `图表类型 “${String(type)}” 无法绘制（支持 line、bar）`);
  const xField = spec.xField;
  const yField = spec.yField;
  const values = valuesOf(spec.data);
  if (typeof xField !== 'string' || typeof yField !== 'string' || !values) {
    return errors.join('') + problemBlock(ctx, `${path}.chart_spec`, '图表需要 data.values、xField 和 yField');
  }
  const data: Datum[] = [];
  values.forEach((v, i) => {
    const y = isRecord(v) ? v[yField] : undefined;
    if (!isRecord(v) || typeof y !== 'number' || !Number.isFinite(y)) {
      errors.push(problemBlock(ctx, `${path}.chart_spec.data.values[${i}]`, `第 ${i + 1} 个数据点的 ${yField} 不是数字`));
      return;
    }
    data.push({ x: String(v[xField] ?? ''), y });
  });

  const axes = Array.isArray(spec.axes) ? spec.axes.filter(isRecord) : [];
  const left = axes.find((a) => a.orient === 'left') ?? {};
  const min = typeof left.min === 'number' ? left.min : Math.min(0, ...data.map((d) => d.y));
  const max = typeof left.max === 'number' ? left.max : niceMax(Math.max(0, ...data.map((d) => d.y)));
  const ratio = RATIOS[String(node.aspect_ratio ?? '16:9')] ?? 9 / 16;
  const H = Math.round(W * ratio);
  const plotW = W - MARGIN.left - MARGIN.right;
  const plotH = H - MARGIN.top - MARGIN.bottom;
  const band = plotW / Math.max(1, data.length);
  const xAt = (i: number) => MARGIN.left + band * (i + 0.5);
  const yAt = (y: number) => MARGIN.top + plotH - ((Math.min(max, Math.max(min, y)) - min) / (max - min || 1)) * plotH;
  const showLabels = isRecord(spec.label) && spec.label.visible === true;

  const parts: string[] = [];
  for (let t = 0; t <= 4; t++) {
    const v = min + ((max - min) * t) / 4;
    const y = yAt(v);
    parts.push(`<line class="fc-chart-grid" x1="${MARGIN.left}" x2="${W - MARGIN.right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="fc-chart-tick" x="${MARGIN.left - 8}" y="${y + 6}" text-anchor="end">${fmt(v)}</text>`);
  }
  // x labels: every one when they fit, else every k-th
  const step = Math.max(1, Math.ceil(data.length / 8));
  data.forEach((d, i) => {
    if (i % step === 0) parts.push(`<text class="fc-chart-tick" x="${xAt(i)}" y="${H - MARGIN.bottom + 28}" text-anchor="middle">${escapeHtml(d.x)}</text>`);
  });
  if (type === 'bar') {
    data.forEach((d, i) => {
      const y = yAt(d.y);
      const base = yAt(Math.max(min, 0));
      parts.push(
        `<rect class="fc-chart-bar"${attr('data-x', d.x)}${attr('data-y', d.y)} x="${xAt(i) - band * 0.3}" y="${Math.min(y, base)}" width="${band * 0.6}" height="${Math.abs(base - y)}"/>`,
      );
    });
  } else {
    const points = data.map((d, i) => `${xAt(i)},${yAt(d.y)}`).join(' ');
    parts.push(`<polyline class="fc-chart-line" points="${points}"/>`);
    data.forEach((d, i) => parts.push(`<circle class="fc-chart-point"${attr('data-x', d.x)}${attr('data-y', d.y)} cx="${xAt(i)}" cy="${yAt(d.y)}" r="5"/>`));
  }
  if (showLabels) {
    data.forEach((d, i) => parts.push(`<text class="fc-chart-label" x="${xAt(i)}" y="${yAt(d.y) - 12}" text-anchor="middle">${fmt(d.y)}</text>`));
  }
  const title = isRecord(spec.title) && typeof spec.title.text === 'string' ? spec.title.text : '';
  return (
    `<figure class="fc-chart">` +
    (title ? `<figcaption class="fc-chart-title">${escapeHtml(title)}</figcaption>` : '') +
    `<svg class="fc-chart-svg" viewBox="0 0 ${W} ${H}" role="img"${attr('aria-label', title || '图表')} data-points="${data.length}">${parts.join('')}</svg>` +
    `</figure>${errors.join('')}`
  );
}
