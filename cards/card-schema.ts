/**
 * A strict schema of the part of card JSON 2.0 that duban sends: every object is strict,
 * because 2.0 rejects properties it does not know ("传入不支持的属性将报错", card JSON 2.0
 * release notes, open.feishu.cn feishu-cards/card-json-v2-breaking-changes-release-notes).
 * Written from the component pages cited on each schema; properties the platform documents
 * but duban never sends are left out on purpose, so a new one has to be looked up first.
 *
 * Shapes, enums, nesting (which component may sit where), form names and submit buttons,
 * and the card-wide limits (size, components, tables, container depth) all live here;
 * `checkCardLimits` (limits.ts) adds only duban's own rules (callback action names, markup).
 */
import { z } from 'zod';

/** What a check found wrong with a card: which rule, where, and what. */
export type CardLimitRule =
  | 'schema'
  | 'size'
  | 'components'
  | 'depth'
  | 'placement'
  | 'form_names'
  | 'form_submit'
  | 'callback_value'
  | 'text_length'
  | 'markup';

export type CardLimitViolation = { rule: CardLimitRule; path: string; message: string };

/** Card (and callback card) request body limit: 30 KB (im-v1/message/create, error 230025). */
export const CARD_MAX_BYTES = 30 * 1024;
/** At most 200 components in a 2.0 card (error 230099, sub-code 11310, message-create doc). */
export const CARD_MAX_COMPONENTS = 200;
/** Containers nest at most five levels (column-set and form-container pages, 注意事项). */
export const CARD_MAX_CONTAINER_DEPTH = 5;
/** At most five tables in one card (table page, 注意事项). */
export const CARD_MAX_TABLES = 5;
/** Button text and placeholders: 100 characters (button page, text field). */
const SHORT_TEXT_MAX = 100;

/** Bytes of the request body that carries the card (its JSON is sent as a string). */
export function cardRequestBytes(card: unknown): number {
  return new TextEncoder().encode(JSON.stringify({ content: JSON.stringify(card) })).length;
}

// ---------------------------------------------------------------- shared pieces

/** `{tag: "plain_text", content}`: shown as typed. */
const plainText = z.strictObject({ tag: z.literal('plain_text'), content: z.string() });

const shortPlainText = z.strictObject({
  tag: z.literal('plain_text'),
  content: z.string().refine((s) => [...s].length <= SHORT_TEXT_MAX, {
    message: `longer than ${SHORT_TEXT_MAX} characters`,
    params: { rule: 'text_length' },
  }),
});

/** Text colours: "default" and the colour names of the colour-enum page (shades left out). */
const TEXT_COLORS = [
  'default',
  'grey',
  'blue',
  'wathet',
  'turquoise',
  'green',
  'lime',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
] as const;
const textColor = z.enum(TEXT_COLORS);
const textAlign = z.enum(['left', 'center', 'right']);
/** Font sizes of plain_text / markdown (rich-text and plain-text pages, text_size). */
const textSize = z.enum([
  'heading-0',
  'heading-1',
  'heading-2',
  'heading-3',
  'heading-4',
  'heading',
  'normal',
  'notation',
  'xxxx-large',
  'xxx-large',
  'xx-large',
  'x-large',
  'large',
  'medium',
  'small',
  'x-small',
]);

const px = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+px$/, 'expected a width such as "120px"')
    .refine((s) => {
      const n = Number.parseInt(s, 10);
      return n >= min && n <= max;
    }, `must be between ${min}px and ${max}px`);

/** Interactive component widths: default, fill or [100,∞)px (button / input / select pages). */
const controlWidth = z.union([z.enum(['default', 'fill']), px(100, 100_000)]);

/** Spacing: small(4px) / medium(8px) / large(12px) / extra_large(16px) or [0,99]px. */
const spacing = z.union([z.enum(['small', 'medium', 'large', 'extra_large']), px(0, 99)]);

/** A form field name: required inside a form and unique in the whole card (form-container page). */
const fieldName = z.string().min(1, 'a form field needs a non-empty name');

/**
 * Callback behaviour. The value is an object: the server SDKs only support object values
 * (server-side-sdk/nodejs-sdk/handling-callbacks), and a string value gives 200671.
 */
const callbackBehavior = z.strictObject({ type: z.literal('callback'), value: z.record(z.string(), z.unknown()) });

// ---------------------------------------------------------------- content components

/** Title (header): card-json-v2-components/content-components/title. */
const HEADER_TEMPLATES = [
  'blue',
  'wathet',
  'turquoise',
  'green',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
  'grey',
  'default',
] as const;
/** Suffix tag colours, a different set from templates (title page, text_tag_list). */
const TAG_COLORS = ['neutral', 'blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine'] as const;
const header = z.strictObject({
  title: plainText,
  subtitle: plainText.optional(),
  template: z.enum(HEADER_TEMPLATES).optional(),
  // at most 3 tags are shown (title page)
  text_tag_list: z
    .array(z.strictObject({ tag: z.literal('text_tag'), text: plainText, color: z.enum(TAG_COLORS) }))
    .max(3)
    .optional(),
});

/** Rich text: card-json-v2-components/content-components/rich-text. */
const markdown = z.strictObject({
  tag: z.literal('markdown'),
  content: z.string(),
  text_size: textSize.optional(),
  text_align: textAlign.optional(),
});

/** Plain text: card-json-v2-components/content-components/plain-text (text_color only on plain_text). */
const div = z.strictObject({
  tag: z.literal('div'),
  text: z.strictObject({
    tag: z.literal('plain_text'),
    content: z.string(),
    text_size: textSize.optional(),
    text_color: textColor.optional(),
    text_align: textAlign.optional(),
    lines: z.int().min(1).optional(),
  }),
});

/** Divider: card-json-v2-components/content-components/divider. */
const hr = z.strictObject({ tag: z.literal('hr') });

/**
 * Table: card-json-v2-components/content-components/table. Only at the card root, holds no
 * component, at most five per card; page_size [1,10]; columns at most 50.
 */
const table = z.strictObject({
  tag: z.literal('table'),
  page_size: z.int().min(1).max(10).optional(),
  row_height: z.union([z.enum(['low', 'middle', 'high', 'auto']), px(32, 124)]).optional(),
  freeze_first_column: z.boolean().optional(),
  header_style: z
    .strictObject({
      text_align: textAlign.optional(),
      text_size: textSize.optional(),
      background_style: z.enum(['grey', 'none']).optional(),
      text_color: textColor.optional(),
      bold: z.boolean().optional(),
      lines: z.int().min(1).optional(),
    })
    .optional(),
  columns: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        display_name: z.string().optional(),
        data_type: z.enum(['text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown']),
        width: z.union([z.literal('auto'), px(80, 600), z.string().regex(/^\d+(\.\d+)?%$/)]).optional(),
      }),
    )
    .min(1)
    .max(50),
  rows: z.array(z.record(z.string(), z.unknown())),
});

/** Chart: card-json-v2-components/content-components/chart (chart_spec is a VChart spec, not ours to restrict). */
const chart = z.strictObject({
  tag: z.literal('chart'),
  aspect_ratio: z.enum(['1:1', '2:1', '4:3', '16:9']).optional(),
  chart_spec: z.record(z.string(), z.unknown()),
});

// ---------------------------------------------------------------- interactive components

const BUTTON_TYPES = ['default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'] as const;

/**
 * Button: card-json-v2-components/interactive-components/button. Inside a form it carries a
 * name and `form_action_type` (submit / reset). The confirmation dialog only appears when the
 * user clicks a button with a submit behaviour ("confirm 字段仅在用户点击包含提交属性的按钮时才会
 * 触发二次确认弹窗", button page), so a confirm anywhere else would silently not ask.
 */
function buttonOf(inForm: boolean) {
  return z
    .strictObject({
      tag: z.literal('button'),
      text: shortPlainText,
      type: z.enum(BUTTON_TYPES).optional(),
      size: z.enum(['tiny', 'small', 'medium', 'large']).optional(),
      width: controlWidth.optional(),
      disabled: z.boolean().optional(),
      confirm: z.strictObject({ title: plainText, text: plainText }).optional(),
      behaviors: z.array(callbackBehavior).min(1).optional(),
      name: inForm ? fieldName.optional() : z.never({ error: 'a name only matters on a button inside a form' }).optional(),
      form_action_type: inForm
        ? z.enum(['submit', 'reset']).optional()
        : z.never({ error: 'form_action_type only works on a button inside a form' }).optional(),
    })
    .superRefine((b, ctx) => {
      if (b.confirm && b.form_action_type !== 'submit') {
        ctx.addIssue({
          code: 'custom',
          path: ['confirm'],
          message: 'only allowed on a button that submits a form (form_action_type "submit")',
        });
      }
    });
}

/** Input: card-json-v2-components/interactive-components/input (max_length 1..1000). */
const input = z.strictObject({
  tag: z.literal('input'),
  name: fieldName,
  required: z.boolean().optional(),
  label: plainText.optional(),
  label_position: z.enum(['top', 'left']).optional(),
  placeholder: shortPlainText.optional(),
  default_value: z.string().optional(),
  width: controlWidth.optional(),
  max_length: z.int().min(1).max(1000).optional(),
  input_type: z.enum(['text', 'multiline_text', 'password']).optional(),
  rows: z.int().min(1).optional(),
  auto_resize: z.boolean().optional(),
  max_rows: z.int().min(1).optional(),
});

/** Date picker: card-json-v2-components/interactive-components/date-picker (initial_date yyyy-MM-dd). */
const datePicker = z.strictObject({
  tag: z.literal('date_picker'),
  name: fieldName,
  required: z.boolean().optional(),
  placeholder: shortPlainText.optional(),
  width: controlWidth.optional(),
  initial_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'initial_date must be yyyy-MM-dd')
    .optional(),
});

/**
 * Single select: card-json-v2-components/interactive-components/single-select-dropdown-menu.
 * The initial choice is `initial_index`, 1-based (0 selects nothing), at most the number of
 * options; duban never sends `initial_option`, which the strict object therefore refuses.
 */
const selectStatic = z
  .strictObject({
    tag: z.literal('select_static'),
    name: fieldName,
    required: z.boolean().optional(),
    placeholder: shortPlainText.optional(),
    width: controlWidth.optional(),
    options: z.array(z.strictObject({ text: plainText, value: z.string().min(1) })).min(1),
    initial_index: z.int().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.initial_index !== undefined && s.initial_index > s.options.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['initial_index'],
        message: `initial_index ${s.initial_index} is past the ${s.options.length} options`,
      });
    }
    const values = s.options.map((o) => o.value);
    if (new Set(values).size !== values.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'option values must be unique' });
  });

// ---------------------------------------------------------------- containers and nesting

type Where = 'the card root' | 'a column' | 'a form' | 'a column inside a form';

/** Elements allowed in one place; a tag not in the list is named in the message. */
function elementsIn(where: Where, options: Parameters<typeof z.discriminatedUnion>[1]) {
  const allowed = options.map((o) => (o as { shape?: { tag?: { value?: string } } }).shape?.tag?.value).filter(Boolean);
  return z.array(
    z.discriminatedUnion('tag', options, {
      error: (iss) => {
        const tag = (iss.input as { tag?: unknown } | undefined)?.tag;
        return iss.code === 'invalid_union' ? `${JSON.stringify(tag)} cannot sit in ${where} (allowed there: ${allowed.join(', ')})` : undefined;
      },
    }),
  );
}

/**
 * Column set: card-json-v2-components/containers/column-set. A column holds anything but a
 * form or a table; weight 1..5 with width "weighted"; px widths [16,600].
 */
function columnSetOf(elements: z.ZodType) {
  return z.strictObject({
    tag: z.literal('column_set'),
    flex_mode: z.enum(['none', 'stretch', 'flow', 'bisect', 'trisect']).optional(),
    horizontal_spacing: spacing.optional(),
    columns: z.array(
      z.strictObject({
        tag: z.literal('column'),
        width: z.union([z.enum(['auto', 'weighted']), px(16, 600)]).optional(),
        weight: z.int().min(1).max(5).optional(),
        elements,
      }),
    ),
  });
}

// Outside forms: buttons call back on their own.
const buttonOutside = buttonOf(false);
const columnElements: z.ZodType = z.lazy(() => elementsIn('a column', [markdown, div, hr, buttonOutside, chart, columnSet]));
const columnSet = columnSetOf(columnElements);

// Inside a form: fields, and buttons that submit or reset it.
const buttonInForm = buttonOf(true);
const formColumnElements: z.ZodType = z.lazy(() =>
  elementsIn('a column inside a form', [markdown, div, hr, buttonInForm, input, datePicker, selectStatic, formColumnSet]),
);
const formColumnSet = columnSetOf(formColumnElements);

/**
 * Form container: card-json-v2-components/containers/form-container. Only at the card root,
 * holds neither a table nor a form, needs a name; its fields need names unique in the card.
 */
const form = z.strictObject({
  tag: z.literal('form'),
  name: z.string().min(1, 'a form needs a non-empty name'),
  elements: elementsIn('a form', [markdown, div, hr, buttonInForm, input, datePicker, selectStatic, formColumnSet]),
});

const rootElements = elementsIn('the card root', [markdown, div, hr, buttonOutside, chart, table, columnSet, form]);

/** The card: feishu-cards/card-json-v2-structure. update_multi can only be true in 2.0. */
export const cardSchema = z.strictObject({
  schema: z.literal('2.0'),
  config: z.strictObject({ update_multi: z.literal(true) }),
  header: header.optional(),
  body: z.strictObject({ elements: rootElements }),
});

// ---------------------------------------------------------------- card-wide rules

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const CONTAINERS = new Set(['form', 'column_set', 'column']);

type WalkVisit = (node: Node, path: PropertyKey[], depth: number, form: { node: Node; path: PropertyKey[] } | null) => void;

/** Every tagged node, with its path, its container depth and the form it sits in. */
function walkTagged(value: unknown, path: PropertyKey[], visit: WalkVisit, depth = 0, inForm: { node: Node; path: PropertyKey[] } | null = null): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkTagged(v, [...path, i], visit, depth, inForm));
    return;
  }
  if (!isNode(value)) return;
  const tag = value.tag;
  if (typeof tag === 'string') visit(value, path, depth, inForm);
  const childDepth = typeof tag === 'string' && CONTAINERS.has(tag) ? depth + 1 : depth;
  const childForm = tag === 'form' ? { node: value, path } : inForm;
  // chart_spec and table rows are data, not components
  for (const [key, child] of Object.entries(value)) {
    if (key === 'chart_spec' || key === 'rows') continue;
    walkTagged(child, [...path, key], visit, childDepth, childForm);
  }
}

/** Rules over the whole card, checked even when a shape is wrong (so every problem shows). */
function cardWideViolations(card: Node): CardLimitViolation[] {
  const out: CardLimitViolation[] = [];
  const issue = (rule: CardLimitRule, path: PropertyKey[], message: string) => out.push({ rule, path: formatPath(path), message });

  const bytes = cardRequestBytes(card);
  if (bytes >= CARD_MAX_BYTES) issue('size', [], `card is ${bytes} bytes as a request body; the limit is ${CARD_MAX_BYTES}`);

  let components = 0;
  let tables = 0;
  let maxDepth = 0;
  const names = new Map<string, string>();
  const submits = new Set<Node>();
  const forms: Array<{ node: Node; path: PropertyKey[] }> = [];
  walkTagged(card, [], (node, path, depth, inForm) => {
    components++;
    const tag = node.tag as string;
    if (CONTAINERS.has(tag)) maxDepth = Math.max(maxDepth, depth + 1);
    if (tag === 'table') tables++;
    if (tag === 'form') forms.push({ node, path });
    // form and field names share one namespace in the card (form-container page)
    if ((tag === 'form' || inForm) && typeof node.name === 'string' && node.name !== '') {
      const seen = names.get(node.name);
      if (seen) issue('form_names', [...path, 'name'], `name "${node.name}" is also used at ${seen}`);
      else names.set(node.name, formatPath(path));
    }
    if (inForm && tag === 'button') {
      if (typeof node.name !== 'string' || node.name === '') issue('form_names', path, 'a button inside a form needs a non-empty name');
      if (node.form_action_type === 'submit') submits.add(inForm.node);
    }
  });
  for (const f of forms) if (!submits.has(f.node)) issue('form_submit', f.path, 'a form needs a submit button (form_action_type "submit")');
  if (components > CARD_MAX_COMPONENTS) issue('components', [], `${components} components; the limit is ${CARD_MAX_COMPONENTS}`);
  if (tables > CARD_MAX_TABLES) issue('placement', [], `${tables} tables; the limit is ${CARD_MAX_TABLES}`);
  if (maxDepth > CARD_MAX_CONTAINER_DEPTH) issue('depth', [], `containers nest ${maxDepth} deep; the limit is ${CARD_MAX_CONTAINER_DEPTH}`);
  return out;
}

// ---------------------------------------------------------------- results

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), '$');
}

/** The tag of the innermost component on the path, to name it in messages. */
function componentAt(card: unknown, path: readonly PropertyKey[]): string | null {
  let node: unknown = card;
  let tag: string | null = null;
  for (const key of path) {
    if (isNode(node) && typeof node.tag === 'string') tag = node.tag;
    node = (node as Record<PropertyKey, unknown> | undefined)?.[key as never];
  }
  if (isNode(node) && typeof node.tag === 'string') tag = node.tag;
  return tag;
}

const isPlacement = (issue: z.core.$ZodIssue) => issue.code === 'invalid_union' && (issue as { discriminator?: string }).discriminator === 'tag';

/** Where an issue points: a misplaced component is named by its own path, not its tag's. */
function issuePath(issue: z.core.$ZodIssue): string {
  return formatPath(isPlacement(issue) ? issue.path.slice(0, -1) : issue.path);
}

function issueMessage(card: unknown, issue: z.core.$ZodIssue): string {
  if (isPlacement(issue)) return issue.message;
  const where = componentAt(card, issue.path);
  const prefix = where ? `${where}: ` : '';
  if (issue.code === 'unrecognized_keys') return `${prefix}unknown propert${issue.keys.length > 1 ? 'ies' : 'y'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  const key = issue.path[issue.path.length - 1];
  const field = typeof key === 'string' ? `${key}: ` : '';
  return `${prefix}${field}${issue.message}`;
}

/** The rule a schema issue reports under: names and placement keep their own rules. */
function ruleOf(issue: z.core.$ZodIssue): CardLimitRule {
  const tagged = (issue as { params?: { rule?: CardLimitRule } }).params?.rule;
  if (tagged) return tagged;
  if (issue.path[issue.path.length - 1] === 'name') return 'form_names';
  if (isPlacement(issue)) return 'placement';
  return 'schema';
}

/** Violations of the card schema, in the form every card check reports. */
export function validateCardSchema(card: unknown): CardLimitViolation[] {
  const result = cardSchema.safeParse(card);
  const shape = result.success
    ? []
    : result.error.issues.map((issue) => {
        return { rule: ruleOf(issue), path: issuePath(issue), message: issueMessage(card, issue) };
      });
  return isNode(card) ? [...shape, ...cardWideViolations(card)] : shape;
}

// ---------------------------------------------------------------- callback answers

/**
 * The synchronous answer to `card.action.trigger` (feishu-cards/card-callback-communication,
 * 处理卡片回调): an optional toast and an optional raw 2.0 card; `{}` changes nothing.
 */
export const callbackAnswerSchema = z.strictObject({
  toast: z
    .strictObject({
      type: z.enum(['info', 'success', 'error', 'warning']),
      content: z.string().min(1),
    })
    .optional(),
  card: z.strictObject({ type: z.literal('raw'), data: z.unknown() }).optional(),
});

/** Violations of a callback answer's envelope (the card inside is checked like any card, by checkCardLimits). */
export function validateCallbackAnswer(answer: unknown): CardLimitViolation[] {
  const result = callbackAnswerSchema.safeParse(answer);
  if (!result.success) {
    return result.error.issues.map((issue) => ({ rule: 'schema' as const, path: issuePath(issue), message: issueMessage(answer, issue) }));
  }
  return [];
}
