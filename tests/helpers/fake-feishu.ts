/**
 * A fake Feishu Open API on loopback, spoken to through the real SDK. It issues tenant
 * tokens, accepts messages (deduplicating on uuid like the platform), serves contacts,
 * message resources and file uploads, and fails on demand.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCardLimits } from '../../cards/limits.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: any;
  rawBody: Buffer;
  at: number;
}

export interface PostedMessage {
  kind: 'create' | 'reply' | 'patch' | 'card_update';
  messageId: string;
  /** receive_id (create), the replied-to id (reply) or the patched id (patch) */
  target: string;
  receiveIdType?: string;
  msgType?: string;
  uuid?: string;
  content: any;
  at: number;
}

export interface FailureRule {
  /** matched against "METHOD /path" */
  match: RegExp;
  times: number;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** milliseconds to wait before answering (or forever, with 'hang') */
  delayMs?: number | 'hang';
  /**
   * Handle the request as usual (a message is recorded, its uuid remembered) after delayMs;
   * with 'hang', record it and never answer, as when Feishu took a send whose answer was lost.
   */
  deliver?: boolean;
}

/**
 * Opt-in platform limits on message sends (create, reply, patch), for the benchmark. Off by
 * default. Over the per-app limit the fake answers like the gateway, HTTP 429 {code 99991400}
 * with x-ogw-ratelimit-reset; over the per-chat limit like the message API, HTTP 400
 * {code 230020} ("频控策略", https://open.feishu.cn/document/ukTMukTMukTM/uUzN04SN3QjL1cDN).
 * Only accepted sends use the quota. Then a share of the sends within the limits fails
 * transiently without posting: half 429 with a reset header, half HTTP 500.
 */
export interface SendLimits {
  appPerSecond: number;
  chatPerSecond: number;
  /** 0..1: share of sends within the limits that fail transiently */
  transientFailureRate?: number;
  /** seconds in the reset header of an injected 429 */
  transientResetSeconds?: number;
  /** the chat a replied-to or patched message lives in (default: the message id itself) */
  chatOfMessage?: (messageId: string) => string | undefined;
  random?: () => number;
}

export interface SendLimitCounts {
  appThrottled: number;
  chatThrottled: number;
  injected429: number;
  injected500: number;
}

export class FakeFeishu {
  readonly appId = 'cli_a1b2c3d4e5f60718';
  readonly appSecret = 'fake-secret';
  botOpenId = 'ou_bot0000000000000000000000000001';
  readonly requests: RecordedRequest[] = [];
  readonly messages: PostedMessage[] = [];
  /** email or mobile -> open_id */
  readonly directory = new Map<string, string>();
  /** `${messageId}/${fileKey}` -> bytes */
  readonly resources = new Map<string, Buffer>();
  /**
   * How a resource is served: by default with its true Content-Length; 'omit' sends it chunked
   * with no length, a number claims that length in the header.
   */
  readonly resourceLength = new Map<string, 'omit' | number>();
  /** resources whose download the client broke off, with the bytes written until then */
  readonly abortedDownloads: Array<{ key: string; bytesWritten: number }> = [];
  readonly uploads: Array<{ fileKey: string; fileName: string; fileType: string; bytes: Buffer }> = [];
  /** every card the service sent or updated, held to the platform limits; stop() fails on any */
  readonly cardProblems: string[] = [];
  private readonly validTokens = new Set<string>();
  private readonly byUuid = new Map<string, PostedMessage>();
  private readonly cardTokenUses = new Map<string, number>();
  private rules: FailureRule[] = [];
  private tokenCount = 0;
  private messageCount = 0;
  private server?: Server;
  private hung: ServerResponse[] = [];
  private limits?: SendLimits;
  private readonly sendWindows = new Map<string, number[]>();
  /** what the opt-in send limits refused so far */
  readonly limitCounts: SendLimitCounts = { appThrottled: 0, chatThrottled: 0, injected429: 0, injected500: 0 };
  url = '';

  get tokenRequests(): number {
    return this.requests.filter((r) => r.path.endsWith('/tenant_access_token/internal')).length;
  }

  /** Distinct messages as Feishu would show them (a repeated uuid is one message). */
  sent(kind?: PostedMessage['kind']): PostedMessage[] {
    return kind ? this.messages.filter((m) => m.kind === kind) : this.messages;
  }

  /** Texts of sent text messages, and card header titles for cards. */
  texts(): string[] {
    return this.messages.map((m) =>
      m.msgType === 'text' ? String(m.content?.text ?? '') : String(m.content?.header?.title?.content ?? JSON.stringify(m.content)),
    );
  }

  failNext(rule: Omit<FailureRule, 'times'> & { times?: number }): void {
    this.rules.push({ times: 1, ...rule });
  }

  /** Enforces platform send limits and injects transient failures from now on (see SendLimits). */
  enforceSendLimits(limits: SendLimits): void {
    this.limits = limits;
  }

  /** Every token issued so far is now rejected with 99991663. */
  revokeTokens(): void {
    this.validTokens.clear();
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const problems = this.cardProblems.splice(0);
    if (problems.length > 0) throw new Error(`cards outside the platform limits:\n${problems.join('\n')}`);
    for (const r of this.hung) r.destroy();
    this.hung = [];
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const contentType = String(req.headers['content-type'] ?? '');
    let body: any;
    if (contentType.includes('application/json') && rawBody.length) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = rawBody.toString('utf8');
      }
    }
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      rawBody,
      at: Date.now(),
    };
    this.requests.push(rec);
    const key = `${rec.method} ${rec.path}`;

    const rule = this.rules.find((r) => r.match.test(key) && r.times > 0);
    if (rule?.deliver) {
      rule.times -= 1;
      if (rule.delayMs === 'hang') {
        this.hung.push(res);
        // The handlers below still run, but what they answer goes nowhere.
        const silent: ServerResponse = Object.assign(Object.create(res) as ServerResponse, { writeHead: () => silent, end: () => silent });
        res = silent;
      } else if (rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs as number));
    } else if (rule) {
      rule.times -= 1;
      if (rule.delayMs === 'hang') {
        this.hung.push(res);
        return;
      }
      if (rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs as number));
      return this.json(res, rule.status, rule.body, rule.headers);
    }

    if (rec.path === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body?.app_id !== this.appId || body?.app_secret !== this.appSecret) return this.json(res, 200, { code: 10014, msg: 'app secret invalid' });
      const token = `t-fake-${++this.tokenCount}`;
      this.validTokens.add(token);
      return this.json(res, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }
    const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.validTokens.has(auth)) return this.json(res, 400, { code: 99991663, msg: 'Invalid access token for authorization.' });

    if (rec.path === '/open-apis/bot/v3/info') return this.json(res, 200, { code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: '整改督办' } });

    if (this.limits && this.refusedByLimits(res, rec, body)) return;

    if (rec.method === 'POST' && rec.path === '/open-apis/im/v1/messages') {
      return this.post(res, {
        kind: 'create',
        target: body.receive_id,
        receiveIdType: rec.query.receive_id_type,
        msgType: body.msg_type,
        uuid: body.uuid,
        content: body.content,
      });
    }
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(rec.path);
    if (rec.method === 'POST' && reply) {
      return this.post(res, { kind: 'reply', target: reply[1]!, msgType: body.msg_type, uuid: body.uuid, content: body.content });
    }
    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(rec.path);
    if (rec.method === 'PATCH' && patch) {
      this.checkCard(`patch of ${patch[1]}`, JSON.parse(body.content));
      this.messages.push({ kind: 'patch', messageId: patch[1]!, target: patch[1]!, content: JSON.parse(body.content), at: Date.now() });
      return this.json(res, 200, { code: 0, msg: 'ok', data: {} });
    }
    if (rec.method === 'POST' && rec.path === '/open-apis/interactive/v1/card/update') {
      // The documented body (延时更新消息卡片): {token: "c-…", card: <card JSON object>}; a token
      // works twice. The callback answer's {type:'raw', data} wrapper is not a card here.
      if (typeof body?.token !== 'string' || !body.token.startsWith('c-')) return this.json(res, 400, { code: 300020, msg: 'invalid card update token' });
      const card = body.card;
      if (!card || typeof card !== 'object' || Array.isArray(card) || (card.type !== undefined && card.type !== 'template')) {
        return this.json(res, 400, { code: 10002, msg: 'card is not a card JSON object' });
      }
      const uses = (this.cardTokenUses.get(body.token) ?? 0) + 1;
      this.cardTokenUses.set(body.token, uses);
      if (uses > 2) return this.json(res, 400, { code: 300040, msg: 'card update token used too many times' });
      this.checkCard('card update', card);
      this.messages.push({ kind: 'card_update', messageId: '', target: body.token, content: card, at: Date.now() });
      return this.json(res, 200, { code: 0, msg: 'ok' });
    }
    if (rec.method === 'POST' && rec.path === '/open-apis/contact/v3/users/batch_get_id') {
      const list = [
        ...(body.emails ?? []).map((email: string) => ({ email, user_id: this.directory.get(email) })),
        ...(body.mobiles ?? []).map((mobile: string) => ({ mobile, user_id: this.directory.get(mobile) })),
      ].map((e) => (e.user_id ? e : { ...e, user_id: undefined }));
      return this.json(res, 200, { code: 0, msg: 'success', data: { user_list: list } });
    }
    const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(rec.path);
    if (rec.method === 'GET' && resource) {
      const key = `${resource[1]}/${resource[2]}`;
      const bytes = this.resources.get(key);
      if (!bytes) return this.json(res, 400, { code: 234003, msg: 'File not in msg.' });
      const length = this.resourceLength.get(key) ?? bytes.length;
      if (length === bytes.length && bytes.length <= 1024 * 1024) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        return res.end(bytes);
      }
      return this.stream(res, key, bytes, length === 'omit' ? undefined : length);
    }
    if (rec.method === 'POST' && rec.path === '/open-apis/im/v1/files') {
      const parts = parseMultipart(rawBody, contentType);
      const fileKey = `file_fake_${this.uploads.length + 1}`;
      this.uploads.push({ fileKey, fileName: parts.fields.file_name ?? '', fileType: parts.fields.file_type ?? '', bytes: parts.file ?? Buffer.alloc(0) });
      return this.json(res, 200, { code: 0, msg: 'ok', data: { file_key: fileKey } });
    }
    return this.json(res, 404, { code: 404, msg: `fake feishu has no ${key}` });
  }

  /** Applies the opt-in send limits; true when it answered the request with a refusal. */
  private refusedByLimits(res: ServerResponse, rec: RecordedRequest, body: any): boolean {
    const l = this.limits!;
    const onMessage = /^\/open-apis\/im\/v1\/messages\/([^/]+)(?:\/reply)?$/.exec(rec.path);
    let chat: string;
    if (rec.method === 'POST' && rec.path === '/open-apis/im/v1/messages') chat = String(body?.receive_id);
    else if (onMessage && (rec.method === 'PATCH' || rec.path.endsWith('/reply'))) chat = l.chatOfMessage?.(onMessage[1]!) ?? onMessage[1]!;
    else return false;
    const now = Date.now();
    const window = (key: string) => {
      const w = (this.sendWindows.get(key) ?? []).filter((t) => t > now - 1000);
      this.sendWindows.set(key, w);
      return w;
    };
    const app = window('app');
    const perChat = window(`chat:${chat}`);
    if (app.length >= l.appPerSecond) {
      this.limitCounts.appThrottled += 1;
      const reset = String(Math.max(1, Math.ceil((app[0]! + 1000 - now) / 1000)));
      this.json(
        res,
        429,
        { code: 99991400, msg: 'request trigger frequency limit' },
        { 'x-ogw-ratelimit-limit': String(l.appPerSecond), 'x-ogw-ratelimit-reset': reset },
      );
      return true;
    }
    if (perChat.length >= l.chatPerSecond) {
      this.limitCounts.chatThrottled += 1;
      this.json(res, 400, { code: 230020, msg: 'This operation triggers the frequency limit.' });
      return true;
    }
    const r = (l.random ?? Math.random)();
    const rate = l.transientFailureRate ?? 0;
    if (r < rate / 2) {
      this.limitCounts.injected429 += 1;
      this.json(res, 429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-reset': String(l.transientResetSeconds ?? 1) });
      return true;
    }
    if (r < rate) {
      this.limitCounts.injected500 += 1;
      this.json(res, 500, { code: 1, msg: 'internal error' });
      return true;
    }
    app.push(now);
    perChat.push(now);
    return false;
  }

  /** Writes a body in chunks, as a large download arrives, noting whether the client broke it off. */
  private async stream(res: ServerResponse, key: string, bytes: Buffer, claimedLength?: number) {
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...(claimedLength !== undefined ? { 'content-length': claimedLength } : {}) });
    let written = 0;
    res.on('close', () => {
      if (!res.writableFinished) this.abortedDownloads.push({ key, bytesWritten: written });
    });
    for (let at = 0; at < bytes.length && !res.destroyed; at += 64 * 1024) {
      const chunk = bytes.subarray(at, at + 64 * 1024);
      written += chunk.length;
      if (!res.write(chunk)) await new Promise((r) => (res.once('drain', r), res.once('close', r)));
    }
    if (!res.destroyed) res.end();
  }

  private checkCard(where: string, card: unknown) {
    for (const v of checkCardLimits(card)) this.cardProblems.push(`${where}: ${v.rule} at ${v.path}: ${v.message}`);
  }

  private post(res: ServerResponse, m: Omit<PostedMessage, 'messageId' | 'at' | 'content'> & { content: string }) {
    if (m.msgType === 'interactive') this.checkCard(`${m.kind} to ${m.target}`, JSON.parse(m.content));
    if (m.uuid && this.byUuid.has(m.uuid)) {
      // Like the platform: the same uuid within an hour is the same message.
      return this.json(res, 200, { code: 0, msg: 'ok', data: { message_id: this.byUuid.get(m.uuid)!.messageId } });
    }
    const posted: PostedMessage = { ...m, content: JSON.parse(m.content), messageId: `om_fake_${++this.messageCount}`, at: Date.now() };
    this.messages.push(posted);
    if (m.uuid) this.byUuid.set(m.uuid, posted);
    return this.json(res, 200, { code: 0, msg: 'ok', data: { message_id: posted.messageId, msg_type: m.msgType } });
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }
}

function parseMultipart(raw: Buffer, contentType: string): { fields: Record<string, string>; file?: Buffer } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const out: { fields: Record<string, string>; file?: Buffer } = { fields: {} };
  if (!boundary) return out;
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = raw.indexOf(sep);
  while (start >= 0) {
    const next = raw.indexOf(sep, start + sep.length);
    if (next < 0) break;
    const part = raw.subarray(start + sep.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (name && /filename=/.test(head)) out.file = content;
    else if (name) out.fields[name] = content.toString('utf8');
    start = next;
  }
  return out;
}

export async function startFakeFeishu(): Promise<FakeFeishu> {
  return new FakeFeishu().start();
}
