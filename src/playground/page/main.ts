/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The playground page: a chat client that behaves like Feishu for duban. It only shows and asks:
 * every message, file and card click goes to the server, which turns it into the event Feishu
 * would send; what the bot sends arrives over /playground/stream.
 */
import { bindCard, type CardAction } from '../render/card-dom.js';
import { CARD_CSS, renderCardHtml } from '../render/card-html.js';
import type { ActionAnswer, ChatView, JobAnswer, MessageView, PersonView, SayAnswer, StateView, StreamEvent } from '../protocol.js';
import { PAGE_CSS } from './style.js';

type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string | null | undefined>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

const state: StateView & { activeChat?: string; actingAs?: string; unread: Map<string, number> } = {
  bot: { openId: '', name: '整改督办助手' },
  cast: [],
  chats: [],
  messages: [],
  unread: new Map(),
};

const ROLE_ORDER: Record<PersonView['role'], number> = { admin: 0, secretary: 1, leader: 2, owner: 3 };

const person = (openId: string) => state.cast.find((c) => c.openId === openId);
const nameOf = (from: string) => (from === 'bot' ? state.bot.name : (person(from)?.name ?? from));
const parse = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

async function api<T>(path: string, body: unknown, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`/playground/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
  return (await res.json().catch(() => ({ ok: false, error: `服务返回 HTTP ${res.status}` }))) as T;
}

// ------------------------------------------------------------------ layout

const root = h('div', { class: 'pg' });
const toasts = h('div', { class: 'pg-toasts', 'aria-live': 'polite' });
const castSelect = h('select', { 'data-testid': 'cast', 'aria-label': '当前身份', onchange: () => setActing(castSelect.value) });
const castEditor = h('div', { class: 'pg-cast-editor', hidden: true });
const chatList = h('ul', { class: 'pg-chats' });
const chatTitle = h('b', {}, '');
const chatHint = h('small', { class: 'pg-chat-hint', 'data-testid': 'speaker' }, '');
const log = h('div', { class: 'pg-log' });
const composer = h('textarea', { 'data-testid': 'composer', placeholder: '发送消息，可 @成员', rows: 1 });
const attach = h('input', { type: 'file', 'data-testid': 'attach', 'aria-label': '发送文件', accept: '.xlsx,.xls,.csv,.docx,.doc,.pdf,.txt,.md' });
const jobSelect = h('select', { 'aria-label': '任务' }, h('option', { value: 'weekly-summary' }, '整改周报'), h('option', { value: 'reminders' }, '到期提醒'));
const jobAt = h('input', { type: 'datetime-local', 'aria-label': '执行时间（北京时间）', 'data-testid': 'job-at' });
const jobResult = h('div', { class: 'pg-job-result', 'data-testid': 'job-result' });
const sampleButton = h('button', { class: 'pg-btn primary', 'data-testid': 'sample', onclick: () => void loadSample() }, '导入示例台账');

function presetButton(label: string, preset: 'phone' | 'desktop') {
  return h('button', { class: 'pg-btn', 'data-preset': preset, onclick: () => setPreset(preset) }, label);
}

function layout() {
  const top = h(
    'div',
    { class: 'pg-top' },
    h('h1', {}, '督办 · 体验场'),
    h('span', { class: 'spacer' }),
    presetButton('手机', 'phone'),
    presetButton('桌面', 'desktop'),
  );
  const tools = h(
    'div',
    { class: 'pg-tools' },
    h('label', {}, '身份 ', castSelect),
    h('button', { class: 'pg-btn', onclick: () => toggleCastEditor() }, '编辑成员'),
    sampleButton,
    jobSelect,
    jobAt,
    h('button', { class: 'pg-btn', 'data-testid': 'run-job', onclick: () => void runJob() }, '按此时间执行'),
    jobResult,
    guide(),
  );
  const head = h(
    'div',
    { class: 'pg-chat-head' },
    h('button', { class: 'pg-btn pg-back', onclick: () => root.classList.remove('in-chat') }, '‹ 会话'),
    h('span', { class: 'pg-chat-title' }, chatTitle, chatHint),
  );
  const form = h(
    'div',
    { class: 'pg-composer' },
    h('span', { class: 'pg-btn pg-attach', title: '发送文件（台账等）' }, '文件', attach),
    composer,
    h('button', { class: 'pg-btn primary', 'data-testid': 'send', onclick: () => void send() }, '发送'),
  );
  root.append(
    top,
    tools,
    castEditor,
    h('div', { class: 'pg-main' }, h('div', { class: 'pg-side' }, chatList), h('div', { class: 'pg-chat' }, head, log, form)),
  );
  composer.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  });
  attach.addEventListener('change', () => void sendFile());
  const app = document.getElementById('app')!;
  app.replaceWith(root);
  document.body.append(toasts);
  jobAt.value = weekAfterNextMonday();
  setPreset(window.innerWidth < 700 ? 'phone' : 'desktop');
}

/** A short walk through the whole story, for someone who has read nothing else. */
function guide(): HTMLElement {
  const steps = [
    '点“导入示例台账”：整改办陈静把示例台账发给机器人，并在预览卡片上确认导入。',
    '在陈静的会话中发送“指派 1.2.2 @王海涛”，把措施交给组织部部长。',
    '打开王海涛的会话，发送“我的”，再发送“详情 1.2.2”，在卡片上点“汇报进展”，填写进展、选 60%，并填上佐证链接（销号须有佐证材料；也可先发“佐证 1.2.2”再发文件）。',
    '在同一张卡片上点“申请销号”并确认。',
    '打开张建国（领导）的会话，在收到的卡片上点“通过销号”。',
    '选择“整改周报”和时间，点“按此时间执行”，再看整改工作领导小组群。',
  ];
  return h('details', { class: 'pg-guide' }, h('summary', {}, '怎么体验？'), h('ol', {}, ...steps.map((t) => h('li', {}, t))));
}

/**
 * Monday 09:00 Beijing time (when the weekly summary is due), at least a week ahead, as the
 * datetime-local input writes it. The service runs each job once per period at start, so the
 * current week's is usually done already; and the summary's trend chart needs two weekly points
 * since the ledger was imported.
 */
function weekAfterNextMonday(): string {
  const beijing = new Date(Date.now() + 8 * 3600_000);
  const days = ((8 - beijing.getUTCDay()) % 7 || 7) + 7;
  const monday = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate() + days, 9));
  return monday.toISOString().slice(0, 16);
}

function setPreset(preset: 'phone' | 'desktop') {
  root.classList.toggle('phone', preset === 'phone');
  root.classList.toggle('desktop', preset === 'desktop');
  for (const b of root.querySelectorAll<HTMLButtonElement>('[data-preset]')) b.classList.toggle('on', b.dataset.preset === preset);
}

// ------------------------------------------------------------------ cast and chats

function renderCast() {
  const acting = state.actingAs;
  castSelect.replaceChildren(
    ...[...state.cast]
      .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role])
      .map((c) => h('option', { value: c.openId, selected: c.openId === acting }, `${c.name}（${c.title}）`)),
  );
}

/** The open chat's name, and who speaks in it (a group: whoever the cast picker says). */
function renderHead() {
  const chat = state.chats.find((c) => c.id === state.activeChat);
  chatTitle.textContent = chat ? chatLabel(chat).title : '';
  const speaker = chat?.type === 'group' ? person(state.actingAs ?? '') : undefined;
  chatHint.textContent =
    chat?.type === 'group' ? (speaker ? `以 ${speaker.name} 的身份发言（在“身份”中切换）` : '请在“身份”中选择发言人') : chat ? chatLabel(chat).sub : '';
}

function setActing(openId: string) {
  state.actingAs = openId;
  castSelect.value = openId;
  renderHead();
  // Acting as someone opens their private chat with the bot unless a shared chat is open.
  const current = state.chats.find((c) => c.id === state.activeChat);
  if (!current || current.type === 'p2p' || !current.members.includes(openId)) {
    const own = state.chats.find((c) => c.type === 'p2p' && c.members[0] === openId);
    if (own) openChat(own.id, false);
  }
}

function chatLabel(c: ChatView): { title: string; sub: string } {
  if (c.type === 'group') return { title: c.name, sub: `群聊 · ${c.members.length + 1} 人` };
  const p = person(c.members[0] ?? '');
  return { title: c.name, sub: p ? `${p.title} · 与${state.bot.name}的单聊` : '单聊' };
}

function lastLine(chatId: string): string {
  const last = [...state.messages].reverse().find((m) => m.chatId === chatId);
  if (!last) return '';
  return `${nameOf(last.from)}：${summary(last)}`;
}

function summary(m: MessageView): string {
  const content = parse(m.content) as Record<string, unknown> | undefined;
  if (m.msgType === 'text') return String(content?.text ?? '');
  if (m.msgType === 'file') return `[文件] ${String(content?.file_name ?? '')}`;
  if (m.msgType === 'interactive') {
    const title = (content?.header as { title?: { content?: string } } | undefined)?.title?.content;
    return `[卡片] ${title ?? ''}`;
  }
  return `[${m.msgType}]`;
}

function renderChats() {
  chatList.replaceChildren(
    ...state.chats.map((c) => {
      const { title, sub } = chatLabel(c);
      const unread = state.unread.get(c.id) ?? 0;
      const avatar = c.type === 'group' ? h('span', { class: 'pg-avatar group' }, '群') : h('span', { class: 'pg-avatar' }, title.slice(-2));
      return h(
        'li',
        { 'data-testid': 'chat', 'data-chat': c.name, class: c.id === state.activeChat ? 'active' : undefined, onclick: () => openChat(c.id, true) },
        avatar,
        h('span', { class: 'pg-chat-name' }, h('b', {}, title), h('small', {}, lastLine(c.id) || sub)),
        unread ? h('span', { class: 'pg-badge' }, String(unread)) : null,
      );
    }),
  );
}

function openChat(chatId: string, fromList: boolean) {
  state.activeChat = chatId;
  state.unread.delete(chatId);
  const chat = state.chats.find((c) => c.id === chatId);
  if (chat?.type === 'p2p' && chat.members[0] && fromList) {
    state.actingAs = chat.members[0];
    castSelect.value = chat.members[0];
  }
  renderHead();
  if (fromList) root.classList.add('in-chat');
  renderChats();
  renderLog();
}

// ------------------------------------------------------------------ messages

function mentionName(id: string) {
  if (id === state.bot.openId) return state.bot.name;
  return person(id)?.name;
}

/** Text with Feishu's <at user_id="…">名字</at> shown as a mention. */
function textWithMentions(text: string): Node[] {
  const out: Node[] = [];
  const re = /<at (?:user_id|id|open_id)=["']?([^"' >]+)["']?\s*>(.*?)<\/at>/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(...typedMentions(text.slice(last, m.index)));
    const who = m[1] === 'all' ? '所有人' : (mentionName(m[1]!) ?? m[2] ?? m[1]!);
    out.push(h('span', { class: 'pg-at' }, `@${who}`));
    last = m.index + m[0].length;
  }
  out.push(...typedMentions(text.slice(last)));
  return out;
}

/** What a person typed, with @名字 of the cast and the bot shown as mentions. */
function typedMentions(text: string): Node[] {
  const names = [state.bot.name, ...state.cast.map((c) => c.name)].sort((a, b) => b.length - a.length);
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (escaped.length === 0) return [document.createTextNode(text)];
  return text
    .split(new RegExp(`([@＠](?:${escaped.join('|')}))`))
    .map((part, i) => (i % 2 === 1 ? h('span', { class: 'pg-at' }, part) : document.createTextNode(part)));
}

function cardBody(m: MessageView): HTMLElement {
  // The renderer's root carries data-testid="card"; this box holds it and its problems.
  const box = h('div', { class: 'pg-card' });
  const { html, problems } = renderCardHtml(parse(m.content), { mentionName });
  box.innerHTML = html;
  if (problems.length > 0) box.append(h('div', { class: 'pg-problems' }, `渲染问题 ${problems.length} 处：${problems.join('；')}`));
  bindCard(box, {
    onAction: (a) => cardAction(m.id, a),
  });
  return box;
}

function messageBody(m: MessageView): HTMLElement {
  const content = parse(m.content) as Record<string, unknown> | undefined;
  if (m.msgType === 'interactive') return cardBody(m);
  if (m.msgType === 'file') {
    const name = String(content?.file_name ?? '文件');
    const key = String(content?.file_key ?? '');
    return h(
      'div',
      { class: 'pg-bubble pg-file' },
      h('span', { class: 'pg-file-icon' }, name.split('.').pop()?.toUpperCase().slice(0, 4) ?? '文件'),
      h('span', {}, name, h('br'), h('a', { href: `/playground/files/${encodeURIComponent(key)}`, download: name, 'data-testid': 'download' }, '下载')),
    );
  }
  if (m.msgType === 'text') return h('div', { class: 'pg-bubble' }, ...textWithMentions(String(content?.text ?? '')));
  return h('div', { class: 'pg-bubble' }, `[${m.msgType} 消息]`);
}

function messageEl(m: MessageView): HTMLElement {
  const mine = m.from !== 'bot';
  const who = nameOf(m.from);
  const parent = m.replyTo ? state.messages.find((x) => x.id === m.replyTo) : undefined;
  return h(
    'div',
    {
      class: `pg-msg${mine ? ' mine' : ''}${m.msgType === 'interactive' ? ' card' : ''}`,
      'data-testid': 'message',
      'data-from': m.from === 'bot' ? 'bot' : who,
      'data-id': m.id,
      'data-revision': m.revision,
    },
    h('span', { class: `pg-avatar${mine ? '' : ' bot'}` }, mine ? who.slice(-2) : '督办'),
    h(
      'div',
      { class: 'pg-msg-body' },
      h('div', { class: 'pg-msg-who' }, who),
      parent ? h('div', { class: 'pg-quote' }, `回复 ${nameOf(parent.from)}：${summary(parent)}`) : null,
      messageBody(m),
    ),
  );
}

function renderLog() {
  const list = state.messages.filter((m) => m.chatId === state.activeChat);
  log.replaceChildren(...(list.length ? list.map(messageEl) : [h('div', { class: 'pg-empty' }, '还没有消息。发送“帮助”看看机器人能做什么。')]));
  log.scrollTop = log.scrollHeight;
}

function addMessage(m: MessageView) {
  if (state.messages.some((x) => x.id === m.id)) return;
  state.messages.push(m);
  if (m.chatId === state.activeChat) {
    log.querySelector('.pg-empty')?.remove();
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    log.append(messageEl(m));
    if (nearBottom || m.from !== 'bot') log.scrollTop = log.scrollHeight;
  } else state.unread.set(m.chatId, (state.unread.get(m.chatId) ?? 0) + 1);
  renderChats();
}

/** A card changed by PATCH, a delayed update or a callback answer: redrawn where it is. */
function updateMessage(m: MessageView) {
  const i = state.messages.findIndex((x) => x.id === m.id);
  if (i < 0) return addMessage(m);
  if (state.messages[i]!.revision > m.revision) return;
  state.messages[i] = m;
  const el = log.querySelector<HTMLElement>(`[data-id="${CSS.escape(m.id)}"]`);
  el?.replaceWith(messageEl(m));
}

function toast(text: string, type = 'info') {
  const t = h('div', { class: `pg-toast ${type}`, 'data-testid': 'toast', 'data-type': type, role: 'status' }, text);
  // One toast at a time, as the Feishu client shows them.
  toasts.replaceChildren(t);
  setTimeout(() => t.remove(), 3000);
}

// ------------------------------------------------------------------ actions

function actingOrWarn(): string | undefined {
  const chat = state.chats.find((c) => c.id === state.activeChat);
  if (!chat) {
    toast('请先选择一个会话。', 'warning');
    return undefined;
  }
  const acting = chat.type === 'p2p' ? chat.members[0] : state.actingAs;
  if (!acting || !chat.members.includes(acting)) {
    toast('当前身份不在这个会话中。', 'warning');
    return undefined;
  }
  return acting;
}

async function send() {
  const text = composer.value.trim();
  const from = actingOrWarn();
  if (!text || !from) return;
  composer.value = '';
  const r = await api<SayAnswer>('say', { chatId: state.activeChat, from, text });
  if (!r.ok) toast(r.error ?? '发送失败', 'error');
  else if (r.note) toast(r.note, 'warning');
}

async function sendFile() {
  const file = attach.files?.[0];
  const from = actingOrWarn();
  attach.value = '';
  if (!file || !from) return;
  const q = new URLSearchParams({ chatId: state.activeChat ?? '', from, name: file.name });
  const r = await api<SayAnswer>(`file?${q}`, undefined, { body: file, headers: { 'content-type': 'application/octet-stream' } });
  if (!r.ok) toast(r.error ?? '发送失败', 'error');
  else if (r.note) toast(r.note, 'warning');
}

async function cardAction(messageId: string, a: CardAction) {
  const m = state.messages.find((x) => x.id === messageId);
  const chat = state.chats.find((c) => c.id === m?.chatId);
  const from = chat?.type === 'p2p' ? chat.members[0] : state.actingAs;
  if (!from) return;
  const r = await api<ActionAnswer>('action', { messageId, from, value: a.value, formValue: a.formValue, name: a.name });
  if (!r.ok) return toast(r.error ?? '操作失败', 'error');
  // The answered card arrives over the stream as an update (with the server's revision).
  if (r.toast) toast(r.toast.content, r.toast.type);
}

async function loadSample() {
  sampleButton.disabled = true;
  toast('正在由整改办发送示例台账并确认导入…');
  const r = await api<SayAnswer>('sample', {});
  sampleButton.disabled = false;
  if (!r.ok) toast(r.error ?? '导入示例台账失败', 'error');
  else if (r.note) toast(r.note, 'success');
}

async function runJob() {
  if (!jobAt.value) return toast('请选择执行时间。', 'warning');
  jobResult.textContent = '正在执行…';
  const r = await api<JobAnswer>('run-job', { job: jobSelect.value, at: `${jobAt.value}:00+08:00` });
  jobResult.textContent = r.ok ? r.summary : (r.error ?? '执行失败');
  if (!r.ok) toast(r.error ?? '执行失败', 'error');
}

function toggleCastEditor() {
  if (!castEditor.hidden) {
    castEditor.hidden = true;
    return;
  }
  castEditor.replaceChildren(
    h('b', {}, '编辑成员（名字用于 @ 提及和消息显示）'),
    ...state.cast.map((c) => {
      const name = h('input', { value: c.name, 'aria-label': '名字' });
      const title = h('input', { value: c.title, 'aria-label': '身份说明' });
      const save = async () => {
        const r = await api<{ ok: boolean; error?: string }>('cast', { openId: c.openId, name: name.value, title: title.value });
        toast(r.ok ? '已保存。' : (r.error ?? '保存失败'), r.ok ? 'success' : 'error');
      };
      return h('label', {}, name, title, h('button', { class: 'pg-btn', onclick: () => void save() }, '保存'));
    }),
  );
  castEditor.hidden = false;
}

// ------------------------------------------------------------------ live updates

function applyState(s: StateView) {
  state.bot = s.bot;
  state.cast = s.cast;
  state.chats = s.chats;
  state.messages = s.messages;
  if (!state.actingAs || !person(state.actingAs)) state.actingAs = state.cast.find((c) => c.role === 'secretary')?.openId ?? state.cast[0]?.openId;
  renderCast();
  if (!state.activeChat || !state.chats.some((c) => c.id === state.activeChat)) {
    const own = state.chats.find((c) => c.type === 'p2p' && c.members[0] === state.actingAs);
    state.activeChat = own?.id ?? state.chats[0]?.id;
  }
  openChat(state.activeChat ?? '', false);
}

function connect() {
  const source = new EventSource('/playground/stream');
  source.addEventListener('state', (e) => applyState(JSON.parse((e as MessageEvent<string>).data) as StateView));
  source.addEventListener('hub', (e) => {
    const ev = JSON.parse((e as MessageEvent<string>).data) as StreamEvent;
    if (ev.type === 'message') addMessage(ev.message);
    else if (ev.type === 'update') updateMessage(ev.message);
    else {
      state.cast = ev.cast;
      state.chats = ev.chats;
      renderCast();
      renderChats();
      const chat = state.chats.find((c) => c.id === state.activeChat);
      if (chat) renderHead();
      renderLog();
    }
  });
}

document.head.append(h('style', {}, PAGE_CSS + CARD_CSS));
layout();
connect();
