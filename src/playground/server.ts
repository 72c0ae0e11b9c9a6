/**
 * The playground's server side: /playground (the page), its API and its live stream. Whatever a
 * person does in the page becomes the event Feishu would send (events.ts), sealed with the
 * service's own Encrypt Key and posted to /feishu/events through the app, so it is verified,
 * stored and processed exactly like Feishu's. What the bot sends comes back through the hub.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Deps } from '../deps.js';
import { isJobName, runJob } from '../jobs/index.js';
import { describeError } from '../logger.js';
import { APP_ID, BOT, LEADING_GROUP, p2pChatId, TENANT_KEY } from './cast.js';
import { botAddedPayload, cardActionPayload, type EnvelopeHeader, type MentionSpec, messageReceivePayload, randomSecret, sealEvent } from './events.js';
import type { ChatMessage, PlaygroundHub } from './hub.js';
import { pageHtml, pageScript } from './page-assets.js';
import type { ActionAnswer, JobAnswer, SayAnswer, StateView } from './protocol.js';

/** The app the events are posted to: anything with Hono's `request`. */
export interface EventDoor {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

/** The largest file the page may send (the service's own import limit is checked after it). */
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const SAMPLE_NAME = '虎林市总工会巡察整改台账（示例）.xlsx';
/** Aliases the composer accepts for @-mentioning the bot, besides its name. */
const BOT_ALIASES = ['机器人', '督办助手'];

/** The project folder: where package.json is, above this module (src/playground or dist). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The shipped sample ledger: the synthetic Hulin union ledger (tests/fixtures/ledger). */
export function sampleLedger(): Uint8Array {
  return readFileSync(join(projectRoot(), 'tests/fixtures/ledger/hulin-union-ledger.xlsx'));
}

/** Finds `@name` mentions of cast members and the bot in what was typed; returns Feishu's placeholders. */
export function mentionsIn(text: string, people: ReadonlyArray<{ openId: string; name: string }>): { text: string; mentions: MentionSpec[] } {
  const names = [
    ...people.map((p) => ({ name: p.name, openId: p.openId, type: 'user' as const, shown: p.name })),
    ...[BOT.name, ...BOT_ALIASES].map((name) => ({ name, openId: BOT.openId, type: 'bot' as const, shown: BOT.name })),
  ].sort((a, b) => b.name.length - a.name.length);
  const mentions: MentionSpec[] = [];
  let out = '';
  for (let i = 0; i < text.length; ) {
    const hit = text[i] === '@' || text[i] === '＠' ? names.find((n) => text.startsWith(n.name, i + 1)) : undefined;
    if (!hit) {
      out += text[i++];
      continue;
    }
    const key = `@_user_${mentions.length + 1}`;
    mentions.push({ key, openId: hit.openId, name: hit.shown, type: hit.type });
    out += key;
    i += 1 + hit.name.length;
  }
  return { text: out, mentions };
}

/** Every callback button of a card whose value names this action, with the form it submits (if any). */
function findCallback(card: unknown, action: string): { value: Record<string, unknown>; name?: string } | undefined {
  const walk = (node: unknown): { value: Record<string, unknown>; name?: string } | undefined => {
    if (!node || typeof node !== 'object') return undefined;
    const el = node as { behaviors?: Array<{ value?: Record<string, unknown> }>; name?: string };
    const value = el.behaviors?.find((b) => b.value?.action === action)?.value;
    if (value) return { value, name: el.name };
    for (const child of Object.values(node)) {
      const found = walk(child);
      if (found) return found;
    }
    return undefined;
  };
  return walk(card);
}

export interface PlaygroundOptions {
  deps: Deps;
  hub: PlaygroundHub;
  door: EventDoor;
}

export function createPlayground({ deps, hub, door }: PlaygroundOptions) {
  const { encryptKey, verificationToken } = deps.config.feishu;
  if (!encryptKey || !verificationToken) throw new Error('the playground needs an Encrypt Key and a Verification Token in the configuration');
  let seq = 0;

  function envelope(callback = false): EnvelopeHeader {
    const ms = deps.clock.now().getTime();
    return {
      eventId: `ev_pg_${ms.toString(36)}_${(++seq).toString(36)}_${randomSecret(4)}`,
      token: verificationToken!,
      // Card callbacks carry microseconds, message events milliseconds.
      createTime: String(callback ? ms * 1000 : ms),
      appId: APP_ID,
      tenantKey: TENANT_KEY,
    };
  }

  /** Seals the payload and posts it through the real door; returns the door's answer. */
  async function post(payload: { header: { event_type: string; event_id: string } }, by: string): Promise<Response> {
    const sealed = await sealEvent(payload, { encryptKey: encryptKey!, timestamp: String(Math.floor(deps.clock.now().getTime() / 1000)) });
    const res = await door.request('/feishu/events', { method: 'POST', body: sealed.body, headers: sealed.headers });
    // The incoming side of the log: what the playground's people sent, as the door answered it.
    deps.log.info(`[playground] ${hub.person(by)?.name ?? by} -> ${payload.header.event_type}`, { eventId: payload.header.event_id, status: res.status });
    return res;
  }

  /** A person's text in a chat: kept as their bubble, and sent to the bot when Feishu would (p2p, or @bot in a group). */
  async function say(chatId: string, from: string, typed: string): Promise<SayAnswer & { message?: ChatMessage }> {
    const chat = hub.chat(chatId);
    const person = hub.person(from);
    if (!chat || !person) return { ok: false, error: '没有这个会话或成员。' };
    const text = typed.trim();
    if (!text) return { ok: false, error: '消息不能为空。' };
    if (text.length > 4000) return { ok: false, error: `消息太长（${text.length} 字），最多 4000 字。` };
    const { text: withKeys, mentions } = mentionsIn(text, hub.cast());
    const message = hub.said(chatId, from, 'text', JSON.stringify({ text }));
    if (chat.type === 'group' && !mentions.some((m) => m.type === 'bot')) {
      // With im:message.group_at_msg:readonly Feishu delivers only group messages that @ the bot.
      return { ok: true, note: `群聊中需要 @${BOT.name}，机器人才会收到消息。`, message };
    }
    const res = await post(
      messageReceivePayload({
        header: envelope(),
        senderOpenId: from,
        senderType: 'user',
        messageId: message.id,
        chatId,
        chatType: chat.type,
        messageType: 'text',
        content: JSON.stringify({ text: withKeys }),
        mentions,
      }),
      from,
    );
    return res.ok ? { ok: true, message } : { ok: false, error: `服务拒绝了这条消息（HTTP ${res.status}）。`, message };
  }

  /** A file a person sends in a chat (a ledger to import). */
  async function sendFile(chatId: string, from: string, fileName: string, bytes: Uint8Array): Promise<SayAnswer & { message?: ChatMessage }> {
    const chat = hub.chat(chatId);
    if (!chat || !hub.person(from)) return { ok: false, error: '没有这个会话或成员。' };
    const key = hub.keepFile(fileName, bytes);
    const content = JSON.stringify({ file_key: key, file_name: fileName });
    const message = hub.said(chatId, from, 'file', content);
    if (chat.type === 'group') return { ok: true, note: '群聊中的文件不会发给机器人；请在与机器人的单聊中发送台账。', message };
    const res = await post(
      messageReceivePayload({
        header: envelope(),
        senderOpenId: from,
        senderType: 'user',
        messageId: message.id,
        chatId,
        chatType: 'p2p',
        messageType: 'file',
        content,
      }),
      from,
    );
    return res.ok ? { ok: true, message } : { ok: false, error: `服务拒绝了这个文件（HTTP ${res.status}）。`, message };
  }

  /** A click or form submit on a card: the callback Feishu would send; its answer goes back to the page. */
  async function act(p: {
    messageId: string;
    from: string;
    value: unknown;
    formValue?: Record<string, unknown>;
    name?: string;
    tag?: string;
  }): Promise<ActionAnswer> {
    const card = hub.message(p.messageId);
    if (card?.msgType !== 'interactive' || !hub.person(p.from)) return { ok: false, error: '没有这张卡片或成员。' };
    const cardToken = `c-${randomSecret(12)}`;
    hub.rememberCardToken(cardToken, card.id);
    const res = await post(
      cardActionPayload({
        header: envelope(true),
        operatorOpenId: p.from,
        cardToken,
        value: p.value,
        tag: p.tag ?? 'button',
        name: p.name,
        formValue: p.formValue,
        messageId: card.id,
        chatId: card.chatId,
      }),
      p.from,
    );
    if (!res.ok) return { ok: false, error: `服务拒绝了这次操作（HTTP ${res.status}）。` };
    const answer = (await res.json()) as { toast?: ActionAnswer['toast']; card?: { type?: string; data?: Record<string, unknown> } };
    // The callback's answer replaces the card (Feishu does the same on the presser's client and everyone else's).
    if (answer.card?.type === 'raw' && answer.card.data) hub.updateCard(card.id, JSON.stringify(answer.card.data));
    return { ok: true, toast: answer.toast, card: answer.card?.data };
  }

  /** Waits until a message in the chat satisfies `test`; undefined after the timeout. */
  function waitFor(test: (m: ChatMessage) => boolean, timeoutMs: number): Promise<ChatMessage | undefined> {
    const found = hub.messages().find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(undefined);
      }, timeoutMs);
      const stop = hub.subscribe((e) => {
        if ((e.type === 'message' || e.type === 'update') && test(e.message)) {
          clearTimeout(timer);
          stop();
          resolve(e.message);
        }
      });
    });
  }

  /** The sample: 整改办 sends the ledger file, then confirms on the preview card like a person would. */
  async function loadSample(): Promise<SayAnswer> {
    const secretary = hub.cast().find((c) => c.role === 'secretary');
    if (!secretary) return { ok: false, error: '演示成员中没有整改办。' };
    const chatId = p2pChatId(secretary.openId);
    const sent = await sendFile(chatId, secretary.openId, SAMPLE_NAME, sampleLedger());
    if (!sent.ok || !sent.message) return sent;
    const preview = await waitFor((m) => m.replyTo === sent.message!.id && Boolean(findCallback(safeJson(m.content), 'import.confirm')), 60_000);
    if (!preview) return { ok: false, error: '没有收到导入预览卡片，请查看服务日志。' };
    const confirm = findCallback(safeJson(preview.content), 'import.confirm')!;
    const answer = await act({ messageId: preview.id, from: secretary.openId, value: confirm.value, formValue: {}, name: confirm.name });
    return answer.ok ? { ok: true, note: answer.toast?.content } : { ok: false, error: answer.error };
  }

  /** Roles and the leading group, set up the way people would: the admin grants roles, 整改办 binds the group. */
  async function bootstrap(): Promise<void> {
    const cast = hub.cast();
    const admin = cast.find((c) => c.role === 'admin');
    const secretary = cast.find((c) => c.role === 'secretary');
    if (!admin || !secretary) return;
    for (const person of cast.filter((c) => c.role === 'secretary' || c.role === 'leader')) {
      const r = await say(p2pChatId(admin.openId), admin.openId, `/role @${person.name} ${person.role}`);
      if (r.message) await waitFor((m) => m.replyTo === r.message!.id, 15_000);
    }
    await post(
      botAddedPayload({ header: envelope(), chatId: LEADING_GROUP.id, chatName: LEADING_GROUP.name, operatorOpenId: secretary.openId }),
      secretary.openId,
    );
    await waitFor((m) => m.chatId === LEADING_GROUP.id && m.from === 'bot', 15_000);
    const bind = await say(LEADING_GROUP.id, secretary.openId, `@${BOT.name} 设为周报群`);
    if (bind.message) await waitFor((m) => m.replyTo === bind.message!.id, 15_000);
  }

  /** Who a job message went to, by the name the page shows. */
  const recipientName = (m: { receiveIdType: string; receiveId: string; recipientLabel: string }) =>
    (m.receiveIdType === 'chat_id' ? hub.chat(m.receiveId)?.name : hub.person(m.receiveId)?.name) ?? m.recipientLabel;

  async function runJobAt(job: string, at: string): Promise<JobAnswer> {
    if (!isJobName(job)) return { ok: false, summary: '', error: `没有这个任务：${job}（可选 reminders、weekly-summary）。` };
    const when = new Date(at);
    if (Number.isNaN(when.getTime())) return { ok: false, summary: '', error: `时间格式不对：${at}。` };
    const outcome = await runJob(deps, job, { at: when });
    deps.outbox.kick();
    const label = job === 'reminders' ? '到期提醒' : '整改周报';
    const summary =
      outcome.status === 'done'
        ? `${label}（${outcome.periodKey}）：${outcome.messages.length} 条消息${outcome.messages.length ? `，发给 ${[...new Set(outcome.messages.map(recipientName))].join('、')}` : ''}。`
        : outcome.status === 'already_done'
          ? `${label}（${outcome.periodKey}）已执行过，本次不再发送。换一天（或下一周）再试。`
          : outcome.status === 'not_working_day'
            ? `${outcome.periodKey.slice(outcome.periodKey.indexOf(':') + 1)} 不是工作日，不发送提醒。`
            : `${label}正在执行中。`;
    return { ok: true, summary };
  }

  function state(): StateView {
    return { bot: { ...BOT }, cast: hub.cast(), chats: hub.chats(), messages: hub.messages() };
  }

  const routes = new Hono();
  // Only the page's own requests: a JSON or binary body needs a CORS preflight, which is never
  // answered, so another site open in the same browser cannot act in the playground.
  routes.use('/api/*', async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (c.req.method !== 'GET' && !/^application\/(json|octet-stream)\b/.test(type))
      return c.json({ ok: false, error: '请求格式不对：需要 application/json 或 application/octet-stream。' }, 415);
    await next();
  });
  routes.get('/', (c) => c.html(pageHtml()));
  routes.get('/app.js', async (c) => c.body(await pageScript(), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  routes.get('/api/state', (c) => c.json(state()));
  routes.get('/stream', (c) =>
    streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      const stop = hub.subscribe((e) => {
        queue.push(JSON.stringify(e));
        wake?.();
      });
      stream.onAbort(() => {
        stop();
        wake?.();
      });
      await stream.writeSSE({ event: 'state', data: JSON.stringify(state()) });
      while (!stream.aborted) {
        while (queue.length) await stream.writeSSE({ event: 'hub', data: queue.shift()! });
        await new Promise<void>((r) => {
          const timer = setTimeout(r, 15_000);
          wake = () => {
            clearTimeout(timer);
            r();
          };
        });
        wake = undefined;
        if (!queue.length && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
      stop();
    }),
  );
  routes.post('/api/say', async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as { chatId?: string; from?: string; text?: string };
    const r = await say(String(b.chatId ?? ''), String(b.from ?? ''), String(b.text ?? ''));
    return c.json({ ok: r.ok, note: r.note, error: r.error } satisfies SayAnswer, r.ok ? 200 : 400);
  });
  routes.post('/api/file', async (c) => {
    const chatId = c.req.query('chatId') ?? '';
    const from = c.req.query('from') ?? '';
    const name = (c.req.query('name') ?? '').trim();
    if (!name || name.length > 200) return c.json({ ok: false, error: '文件名为空或过长（最多 200 字）。' } satisfies SayAnswer, 400);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0) return c.json({ ok: false, error: '文件是空的。' } satisfies SayAnswer, 400);
    if (bytes.byteLength > MAX_UPLOAD_BYTES) return c.json({ ok: false, error: '文件超过 100 MB。' } satisfies SayAnswer, 413);
    const r = await sendFile(chatId, from, name, bytes);
    return c.json({ ok: r.ok, note: r.note, error: r.error } satisfies SayAnswer, r.ok ? 200 : 400);
  });
  routes.post('/api/action', async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Parameters<typeof act>[0];
    const r = await act({ ...b, messageId: String(b.messageId ?? ''), from: String(b.from ?? '') });
    return c.json(r, r.ok ? 200 : 400);
  });
  routes.post('/api/sample', async (c) => {
    const r = await loadSample();
    return c.json(r, r.ok ? 200 : 500);
  });
  routes.post('/api/run-job', async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as { job?: string; at?: string };
    try {
      const r = await runJobAt(String(b.job ?? ''), String(b.at ?? ''));
      return c.json(r, r.ok ? 200 : 400);
    } catch (e) {
      deps.log.error('playground job failed', { error: describeError(e) });
      return c.json({ ok: false, summary: '', error: '任务执行失败，请查看服务日志。' } satisfies JobAnswer, 500);
    }
  });
  routes.post('/api/cast', async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as { openId?: string; name?: unknown; title?: unknown };
    const person = hub.rename(String(b.openId ?? ''), b.name, b.title);
    return person ? c.json({ ok: true }) : c.json({ ok: false, error: '名字需为 1–20 个字，不含 @ < >，且不能与其他成员重名。' }, 400);
  });
  routes.get('/files/:key', (c) => {
    const file = hub.file(c.req.param('key'));
    if (!file) return c.json({ error: 'not found' }, 404);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    });
  });

  return { routes, say, sendFile, act, loadSample, bootstrap, runJobAt, waitFor, post };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

export type Playground = ReturnType<typeof createPlayground>;
