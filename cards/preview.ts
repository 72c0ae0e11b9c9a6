/** Readable plain text for a message body: used by local mode, logs and dry runs. */

function collectCardText(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectCardText(n, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if ((o.tag === 'markdown' || o.tag === 'plain_text' || o.tag === 'lark_md') && typeof o.content === 'string') {
    out.push(o.content);
    return;
  }
  if (o.tag === 'table' && Array.isArray(o.columns) && Array.isArray(o.rows)) {
    const columns = o.columns as Array<{ name?: string; display_name?: string }>;
    out.push(columns.map((c) => c.display_name ?? c.name ?? '').join(' | '));
    for (const row of o.rows as Array<Record<string, unknown>>) out.push(columns.map((c) => String(row[c.name ?? ''] ?? '')).join(' | '));
    return;
  }
  if (o.tag === 'chart') {
    const spec = o.chart_spec as
      | { title?: { text?: string }; data?: { values?: Array<Record<string, unknown>> }; xField?: string; yField?: string }
      | undefined;
    const points = spec?.xField && spec.yField ? (spec.data?.values ?? []).map((v) => `${String(v[spec.xField!])} ${String(v[spec.yField!])}`) : [];
    out.push(`[图表${spec?.title?.text ? `：${spec.title.text}` : ''}]${points.length ? ` ${points.join('，')}` : ''}`);
    return;
  }
  if (o.tag === 'button' && o.text && typeof (o.text as { content?: unknown }).content === 'string') {
    out.push(`[${(o.text as { content: string }).content}]`);
    return;
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'behaviors' || k === 'placeholder' || k === 'confirm' || k === 'value') continue;
    collectCardText(v, out);
  }
}

export function previewCard(card: unknown): string {
  const c = card as { header?: { title?: { content?: string }; subtitle?: { content?: string } }; body?: unknown };
  const lines: string[] = [];
  if (c?.header?.title?.content) lines.push(`【${c.header.title.content}】`);
  if (c?.header?.subtitle?.content) lines.push(c.header.subtitle.content);
  collectCardText(c?.body, lines);
  return lines.join('\n');
}

export function previewContent(msgType: string, content: string): string {
  try {
    const parsed = JSON.parse(content) as Record<string, unknown>;
    if (msgType === 'text') return String(parsed.text ?? '');
    if (msgType === 'interactive') return previewCard(parsed);
    if (msgType === 'file') return `[文件 ${String(parsed.file_key ?? '')}]`;
    return content;
  } catch {
    return content;
  }
}
