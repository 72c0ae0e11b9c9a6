/**
 * An HTTP transport for the official SDK built on fetch, so the SDK runs the same way on
 * Node and Workers, with a timeout (the SDK's default axios instance has none) and errors
 * that carry the status, body and headers the failure classifier needs.
 */

import { readAtMost } from './bounded-read.js';
import { ResourceTooLargeError } from '../port/feishu-client.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly data: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`Request failed with status code ${status}`);
  }
}

interface RequestOptions {
  url?: string;
  method?: string;
  headers?: Record<string, unknown>;
  params?: Record<string, unknown>;
  data?: unknown;
  responseType?: string;
  paramsSerializer?: unknown;
  timeout?: number;
  /** as in axios: the largest response body accepted, in bytes (binary responses) */
  maxContentLength?: number;
  $return_headers?: boolean;
}

/**
 * Reads a binary body, refusing it as soon as it is known to exceed `maxBytes`: from
 * Content-Length when the server states it, else by counting while streaming, so a missing or
 * wrong header cannot make us hold more than the limit.
 */
async function readBinary(res: Response, maxBytes: number | undefined): Promise<Uint8Array> {
  if (maxBytes === undefined || maxBytes < 0) return new Uint8Array(await res.arrayBuffer());
  const stated = Number(res.headers.get('content-length') ?? NaN);
  if (stated > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResourceTooLargeError(maxBytes, stated);
  }
  if (!res.body) return new Uint8Array();
  const bytes = await readAtMost(res.body, maxBytes);
  if (!bytes) throw new ResourceTooLargeError(maxBytes);
  return bytes;
}

/**
 * A binary endpoint reports a refusal (an expired token, a file too large) as a JSON body, at
 * times with HTTP 200 (获取消息中的资源文件: https://open.feishu.cn/document/server-docs/im-v1/message/get-2):
 * such a body is returned as the parsed `{code, msg}`, so the caller sees the code instead of
 * taking the error text for the file. A JSON file without a numeric code stays a file.
 */
function platformError(res: Response, bytes: Uint8Array): Uint8Array | { code: number; msg?: string } {
  if (!/^application\/json\b/i.test(res.headers.get('content-type') ?? '') || bytes.length > 64 * 1024) return bytes;
  try {
    const body = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'number') return body as { code: number; msg?: string };
  } catch {
    // not JSON after all: the file itself
  }
  return bytes;
}

function queryString(params: Record<string, unknown>, serializer: unknown): string {
  if (typeof serializer === 'function') return (serializer as (p: unknown) => string)(params);
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
  }
  return q.toString();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function toFormData(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  const fileName = String(fields.file_name ?? fields.image_name ?? 'file');
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) form.append(k, new Blob([v] as unknown as ConstructorParameters<typeof Blob>[0]), fileName);
    else if (v instanceof Blob) form.append(k, v, fileName);
    else form.append(k, String(v));
  }
  return form;
}

export function createFetchHttpInstance(options: { timeoutMs: number; fetch?: typeof fetch }) {
  const doFetch = options.fetch ?? fetch;
  const request = async (opts: RequestOptions): Promise<any> => {
    let url = opts.url ?? '';
    if (opts.params && Object.keys(opts.params).length > 0) {
      const qs = queryString(opts.params, opts.paramsSerializer);
      if (qs) url += (url.includes('?') ? '&' : '?') + qs;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined && v !== null) headers[k] = String(v);
    let body: RequestInit['body'];
    const contentType = Object.keys(headers).find((h) => h.toLowerCase() === 'content-type');
    if (contentType && /multipart\/form-data/i.test(headers[contentType]!) && isPlainObject(opts.data)) {
      // The SDK hands uploads over as an object (axios turns it into a form); fetch needs a FormData
      // and must set the boundary itself.
      body = toFormData(opts.data);
      delete headers[contentType];
    } else if (opts.data instanceof FormData || opts.data instanceof Uint8Array || typeof opts.data === 'string') {
      body = opts.data as RequestInit['body'];
    } else if (opts.data !== undefined) {
      body = JSON.stringify(opts.data);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
    }
    const res = await doFetch(url, {
      method: (opts.method ?? 'GET').toUpperCase(),
      headers,
      body,
      signal: AbortSignal.timeout(opts.timeout || options.timeoutMs),
    });
    const resHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => (resHeaders[k] = v));
    let data: unknown;
    if (res.ok && (opts.responseType === 'arraybuffer' || opts.responseType === 'stream')) {
      data = platformError(res, await readBinary(res, opts.maxContentLength));
    } else {
      const text = await res.text();
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        data = text;
      }
    }
    if (!res.ok) throw new HttpError(res.status, data, resHeaders);
    return opts.$return_headers ? { data, headers: resHeaders } : data;
  };
  const withBody =
    (method: string) =>
    (url: string, data?: unknown, opts: RequestOptions = {}) =>
      request({ ...opts, url, data, method });
  const withoutBody =
    (method: string) =>
    (url: string, opts: RequestOptions = {}) =>
      request({ ...opts, url, method });
  return {
    request,
    get: withoutBody('GET'),
    delete: withoutBody('DELETE'),
    head: withoutBody('HEAD'),
    options: withoutBody('OPTIONS'),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
  };
}
