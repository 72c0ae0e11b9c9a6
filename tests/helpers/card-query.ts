/** Small readers over card JSON for assertions. */
type Node = Record<string, unknown>;

function visit(value: unknown, fn: (node: Node) => void): void {
  if (Array.isArray(value)) return value.forEach((v) => visit(v, fn));
  if (typeof value !== 'object' || value === null) return;
  const node = value as Node;
  if (typeof node.tag === 'string') fn(node);
  Object.values(node).forEach((v) => visit(v, fn));
}

/** Every component with this tag, in document order (the root itself included). */
export function findAll(card: unknown, tag: string): Node[] {
  const out: Node[] = [];
  visit(card, (node) => {
    if (node.tag === tag) out.push(node);
  });
  return out;
}

export type ButtonInfo = { label: string; value: unknown; confirm: unknown; node: Node };

export function buttons(card: unknown): ButtonInfo[] {
  return findAll(card, 'button').map((node) => {
    const behaviors = (node.behaviors as Array<{ type: string; value?: unknown }> | undefined) ?? [];
    return {
      label: (node.text as { content: string }).content,
      value: behaviors.find((b) => b.type === 'callback')?.value,
      confirm: node.confirm,
      node,
    };
  });
}

export function callbackValues(card: unknown): unknown[] {
  return buttons(card).map((b) => b.value);
}

/** The tags of all components in document order: the shape of a card. */
export function tagSequence(card: unknown): string[] {
  const tags: string[] = [];
  visit(card, (node) => tags.push(node.tag as string));
  return tags;
}
