/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The browser side of a rendered card (card-html.ts): table pages, the confirmation dialog,
 * callback buttons and form submits, delivered as the action a Feishu client would send in
 * `card.action.trigger` (`event.action`: value, name, form_value; feishu-cards/card-callback-communication,
 * summarised in the platform reference §3.1). The only module of the renderer that uses the DOM.
 */

export interface CardAction {
  /** The button's `behaviors` callback value. */
  value: unknown;
  /** `action.form_value`: every named field of the form, by name. */
  formValue?: Record<string, unknown>;
  /** `action.name`: the name of the form's submit button. */
  name?: string;
}

export interface CardHandlers {
  onAction(a: CardAction): Promise<void> | void;
}

const BOUND = 'fcBound';

/**
 * Wires one rendered card (the element with class `fc-card`, or any element holding cards).
 * Binding twice is harmless: a card is wired once.
 */
export function bindCard(root: HTMLElement, handlers: CardHandlers): void {
  if (root.dataset[BOUND]) return;
  root.dataset[BOUND] = '1';
  root.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button') : null;
    if (!target || !root.contains(target) || target.disabled) return;
    if (target.dataset.fcPage) return showPage(target);
    if (target.hasAttribute('data-form-reset')) return resetForm(target);
    if (target.hasAttribute('data-form-submit')) return void submitForm(target, handlers);
    if (target.dataset.value !== undefined) return void press(target, { value: parseJson(target.dataset.value) }, handlers);
  });
  // Enter in a single-line field must not submit the page's form (Feishu submits only by the button)
  root.addEventListener('submit', (event) => event.preventDefault());
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Shows one page of a table and marks its pager button as current. */
function showPage(button: HTMLButtonElement): void {
  const table = button.closest('[data-fc-table]');
  if (!table) return;
  const page = button.dataset.fcPage;
  for (const row of table.querySelectorAll<HTMLElement>('tr[data-fc-page-of]')) row.hidden = row.dataset.fcPageOf !== page;
  for (const b of table.querySelectorAll<HTMLButtonElement>('button[data-fc-page]')) {
    const current = b === button;
    b.classList.toggle('fc-page-current', current);
    if (current) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
}

function resetForm(button: HTMLButtonElement): void {
  const form = button.closest('form');
  form?.reset();
  for (const el of form?.querySelectorAll('.fc-invalid') ?? []) el.classList.remove('fc-invalid');
  for (const el of form?.querySelectorAll('.fc-field-error') ?? []) el.remove();
}

/** Asks with the card's confirm text when it has one, then delivers the action; buttons wait meanwhile. */
async function press(button: HTMLButtonElement, action: CardAction, handlers: CardHandlers): Promise<void> {
  const confirm = parseJson(button.dataset.confirm) as { title?: string; text?: string } | undefined;
  if (confirm && !(await confirmDialog(button.ownerDocument, String(confirm.title ?? ''), String(confirm.text ?? '')))) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await handlers.onAction(action);
  } finally {
    // the card may have been replaced meanwhile; then the old button is simply gone
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** The UTC offset of the browser's zone on that date, as Feishu appends it ("+0800"). */
function offsetOf(date: string): string {
  const minutes = -new Date(`${date}T12:00:00`).getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/**
 * `form_value` as Feishu sends it, keyed by field name: input text as typed, a select's option
 * value, and a picked date as "yyyy-MM-dd +0800", the date plus the user's UTC offset (official
 * callback example, https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication,
 * quoted in the platform reference §3.1). What an untouched field sends is not documented: here
 * an input sends "" and a select or date nobody picked is left out; the handlers accept both.
 */
function formValueOf(form: HTMLFormElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const el of form.querySelectorAll<Field>('input[name], textarea[name], select[name]')) {
    if (el instanceof HTMLInputElement && el.type === 'date') {
      if (el.value) out[el.name] = `${el.value} ${offsetOf(el.value)}`;
    } else if (el instanceof HTMLSelectElement) {
      if (el.value) out[el.name] = el.value;
    } else out[el.name] = el.value;
  }
  return out;
}

/** Required fields left empty, marked as the client marks them (it refuses to submit). */
function missingFields(form: HTMLFormElement): Field[] {
  for (const el of form.querySelectorAll('.fc-field-error')) el.remove();
  const missing: Field[] = [];
  for (const el of form.querySelectorAll<Field>('[required]')) {
    const empty = el.value.trim() === '';
    el.classList.toggle('fc-invalid', empty);
    if (!empty) continue;
    missing.push(el);
    const note = form.ownerDocument.createElement('div');
    note.className = 'fc-field-error';
    note.textContent = '此项为必填项';
    (el.closest('.fc-field') ?? el).after(note);
  }
  return missing;
}

async function submitForm(button: HTMLButtonElement, handlers: CardHandlers): Promise<void> {
  const form = button.closest('form');
  if (!form) return;
  const missing = missingFields(form);
  if (missing.length > 0) return missing[0]!.focus();
  const action: CardAction = { value: parseJson(button.dataset.value), formValue: formValueOf(form) };
  if (button.dataset.name) action.name = button.dataset.name;
  await press(button, action, handlers);
}

/** An in-page dialog with 取消 / 确定, like the client's (not window.confirm, which automation cannot read). */
function confirmDialog(doc: Document, title: string, text: string): Promise<boolean> {
  return new Promise((resolve) => {
    const backdrop = doc.createElement('div');
    backdrop.className = 'fc-modal-backdrop';
    backdrop.dataset.testid = 'confirm';
    const dialog = doc.createElement('div');
    dialog.className = 'fc-modal';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    const heading = doc.createElement('div');
    heading.className = 'fc-modal-title';
    heading.textContent = title;
    const body = doc.createElement('div');
    body.className = 'fc-modal-text';
    body.textContent = text;
    const actions = doc.createElement('div');
    actions.className = 'fc-modal-actions';
    const cancel = doc.createElement('button');
    cancel.type = 'button';
    cancel.textContent = '取消';
    const ok = doc.createElement('button');
    ok.type = 'button';
    ok.textContent = '确定';
    actions.append(cancel, ok);
    dialog.append(heading, body, actions);
    backdrop.append(dialog);
    const close = (answer: boolean) => {
      backdrop.remove();
      doc.removeEventListener('keydown', onKey);
      resolve(answer);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close(false);
    };
    cancel.addEventListener('click', () => close(false));
    ok.addEventListener('click', () => close(true));
    backdrop.addEventListener('click', (e) => {
      if (e.target === backdrop) close(false);
    });
    doc.addEventListener('keydown', onKey);
    doc.body.append(backdrop);
    ok.focus();
  });
}
