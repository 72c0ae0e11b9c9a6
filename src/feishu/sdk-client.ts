import type * as Lark from '@larksuiteoapi/node-sdk';
import { describeError, type Logger } from '../logger.js';
import type { FeishuClient, OutgoingMessage, SendOutcome } from '../port/feishu-client.js';
import { classifyFailure, TOKEN_INVALID_CODE, type PlatformFailure } from './errors.js';
import { createFetchHttpInstance, HttpError } from './fetch-http.js';

/**
 * A token cache owned by one client. The SDK's default cache is a process-wide map keyed
 * by app id, which leaks tokens between clients that point at different hosts.
 */
class InstanceTokenCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();
  constructor(private readonly now: () => number) {}
  private k(key: string | Symbol, ns?: string) {
    return `${ns ?? ''}::${String(key)}`;
  }
  async set(key: string | Symbol, value: unknown, expire?: number, options?: { namespace?: string }) {
    this.entries.set(this.k(key, options?.namespace), { value, expiresAt: expire ?? Number.POSITIVE_INFINITY });
    return true;
  }
  async get(key: string | Symbol, options?: { namespace?: string }) {
    const e = this.entries.get(this.k(key, options?.namespace));
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(this.k(key, options?.namespace));
      return undefined;
    }
    return e.value;
  }
  clear() {
    this.entries.clear();
  }
  get empty() {
    return this.entries.size === 0;
  }
}

export interface SdkClientOptions {
  appId: string;
  appSecret: string;
  baseUrl: string;
  log: Logger;
  now?: () => number;
  timeoutMs?: number;
}

interface ApiResponse {
  code?: number;
  msg?: string;
  data?: { message_id?: string };
  bot?: { open_id?: string };
}

function failureFromError(e: unknown): PlatformFailure {
  if (e instanceof HttpError) {
    const body = (e.data ?? {}) as { code?: number; msg?: string };
    const reset = e.headers['x-ogw-ratelimit-reset'];
    return { httpStatus: e.status, code: body.code, msg: body.msg, resetSeconds: reset !== undefined ? Number(reset) : undefined };
  }
  const msg = e instanceof Error ? e.message : String(e);
  // The SDK throws a plain Error when the token endpoint refuses the credentials.
  const code = /code[^\d]*(\d{5,})/.exec(msg)?.[1];
  return { network: code === undefined, code: code ? Number(code) : undefined, msg };
}

export function createSdkFeishuClient(opts: SdkClientOptions): FeishuClient {
  const cache = new InstanceTokenCache(opts.now ?? Date.now);
  const sdkLog = {
    error: (...m: unknown[]) => opts.log.debug('feishu sdk error', { detail: m.map(String).join(' ').slice(0, 300) }),
    warn: () => {},
    info: () => {},
    debug: () => {},
    trace: () => {},
  };
  // The SDK is large (about 60 MB resident once loaded): load it when the first call needs it,
  // so a service that has nothing to send (local mode, a quiet night) stays small.
  let clientPromise: Promise<Lark.Client> | undefined;
  const sdk = () =>
    (clientPromise ??= import('@larksuiteoapi/node-sdk').then(
      (lark) =>
        new lark.Client({
          appId: opts.appId,
          appSecret: opts.appSecret,
          domain: opts.baseUrl.replace(/\/+$/, ''),
          appType: lark.AppType.SelfBuild,
          cache,
          logger: sdkLog,
          loggerLevel: lark.LoggerLevel.error,
          httpInstance: createFetchHttpInstance({ timeoutMs: opts.timeoutMs ?? 10_000 }),
        }),
    ));

  async function call(message: OutgoingMessage): Promise<ApiResponse> {
    switch (message.kind) {
      case 'create':
        return (await sdk()).im.v1.message.create({
          params: { receive_id_type: message.receiveIdType },
          data: { receive_id: message.receiveId, msg_type: message.msgType, content: message.content, uuid: message.uuid },
        }) as Promise<ApiResponse>;
      case 'reply':
        return (await sdk()).im.v1.message.reply({
          path: { message_id: message.replyTo },
          data: { msg_type: message.msgType, content: message.content, uuid: message.uuid },
        }) as Promise<ApiResponse>;
      case 'patch':
        return (await sdk()).im.v1.message.patch({ path: { message_id: message.messageId }, data: { content: message.content } }) as Promise<ApiResponse>;
      case 'card_update':
        // Body {token, card: <card JSON object>}, no typed SDK method (延时更新消息卡片:
        // https://open.feishu.cn/document/server-docs/im-v1/message-card/delay-update-message-card).
        return (await sdk()).request({
          method: 'POST',
          url: '/open-apis/interactive/v1/card/update',
          data: { token: message.token, card: JSON.parse(message.content) },
        }) as Promise<ApiResponse>;
    }
  }

  async function attempt(message: OutgoingMessage): Promise<SendOutcome | 'token_invalid'> {
    try {
      const res = await call(message);
      if (res?.code === 0) return { ok: true, messageId: res.data?.message_id };
      if (res?.code === TOKEN_INVALID_CODE) return 'token_invalid';
      // HTTP 200 with code != 0 is a failure, though the SDK resolves it.
      return classifyFailure({ httpStatus: 200, code: res?.code, msg: res?.msg });
    } catch (e) {
      const f = failureFromError(e);
      if (f.code === TOKEN_INVALID_CODE) return 'token_invalid';
      return classifyFailure(f);
    }
  }

  let botOpenIdPromise: Promise<string | undefined> | undefined;

  async function sendWithRefresh(message: OutgoingMessage): Promise<SendOutcome> {
    const first = await attempt(message);
    if (first !== 'token_invalid') return first;
    // The cached token was revoked or expired early: fetch a new one and try once more.
    cache.clear();
    const second = await attempt(message);
    return second === 'token_invalid' ? classifyFailure({ code: TOKEN_INVALID_CODE, msg: 'tenant token rejected twice' }) : second;
  }

  // The SDK does not coalesce token requests: parallel first calls would each fetch one.
  // Until a token is cached, calls go one at a time.
  let warming: Promise<unknown> = Promise.resolve();

  /** Runs a call; a revoked or expired token gets one fresh try, like send(). */
  async function withFreshToken<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fn();
        const code = (res as { code?: number } | null)?.code;
        if (code === TOKEN_INVALID_CODE && attempt === 0) {
          cache.clear();
          continue;
        }
        if (code !== undefined && code !== 0) throw new Error(`${what} failed: code ${code} ${(res as { msg?: string }).msg ?? ''}`.trim());
        return res;
      } catch (e) {
        const f = failureFromError(e);
        if (f.code === TOKEN_INVALID_CODE && attempt === 0) {
          cache.clear();
          continue;
        }
        if (e instanceof HttpError)
          throw new Error(`${what} failed: HTTP ${f.httpStatus}${f.code ? ` code ${f.code}` : ''} ${f.msg ?? ''}`.trim(), { cause: e });
        throw e;
      }
    }
  }

  return {
    mode: 'feishu',
    async send(message) {
      if (!cache.empty) return sendWithRefresh(message);
      const run = warming.then(() => sendWithRefresh(message));
      warming = run.catch(() => undefined);
      return run;
    },
    async lookupUserIds(query) {
      const found = new Map<string, string>();
      const emails = query.emails ?? [];
      const mobiles = query.mobiles ?? [];
      // The API takes at most 50 emails and 50 mobiles per call.
      for (let i = 0; i < Math.max(emails.length, mobiles.length); i += 50) {
        const res = await withFreshToken('contact lookup', async () =>
          (await sdk()).contact.v3.user.batchGetId({
            params: { user_id_type: 'open_id' },
            data: { emails: emails.slice(i, i + 50), mobiles: mobiles.slice(i, i + 50) },
          }),
        );
        for (const u of res?.data?.user_list ?? []) {
          if (!u.user_id) continue;
          if (u.email) found.set(u.email, u.user_id);
          if (u.mobile) found.set(u.mobile, u.user_id);
        }
      }
      return found;
    },
    async downloadMessageResource(messageId, fileKey, limits) {
      // https://open.feishu.cn/document/server-docs/im-v1/message/get-2 (获取消息中的资源文件): the
      // file message's content carries only file_key and file_name, so the size is known only
      // from the response; the SDK passes maxContentLength through to the HTTP instance.
      const bytes = await withFreshToken(
        'file download',
        async () =>
          (await sdk()).request({
            method: 'GET',
            url: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/resources/${encodeURIComponent(fileKey)}`,
            // type "image" for an image message's image_key, "file" for files (same doc page).
            params: { type: limits.type ?? 'file' },
            responseType: 'arraybuffer',
            maxContentLength: limits.maxBytes,
          }) as Promise<Uint8Array>,
      );
      if (!(bytes instanceof Uint8Array)) throw new Error('file download failed: no file in the response');
      return bytes;
    },
    async uploadFile(file) {
      const res = await withFreshToken('file upload', async () =>
        (await sdk()).im.v1.file.create({ data: { file_type: file.fileType, file_name: file.fileName, file: file.bytes as unknown as Buffer } }),
      );
      if (!res?.file_key) throw new Error('file upload failed: no file_key in the response');
      return res.file_key;
    },
    botOpenId() {
      botOpenIdPromise ??= sdk()
        .then((client) => client.request({ method: 'GET', url: '/open-apis/bot/v3/info' }) as Promise<ApiResponse>)
        .then((res) => res?.bot?.open_id)
        .catch((e) => {
          opts.log.warn('could not read the bot open_id', { error: describeError(e) });
          botOpenIdPromise = undefined;
          return undefined;
        });
      return botOpenIdPromise;
    },
  };
}
