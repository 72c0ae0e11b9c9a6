/**
 * A fake Feishu long-connection server on loopback, written from the platform's public behaviour
 * and the SDK's wire format (node-sdk ws-client: `pbbp2.Frame`), not from the SDK's code:
 *
 * - `POST /callback/ws/endpoint` with `{AppID, AppSecret}` answers
 *   `{code: 0, data: {URL, ClientConfig: {PingInterval, ReconnectCount, ReconnectInterval, ReconnectNonce}}}`
 *   (seconds), the URL carrying `device_id` and `service_id`;
 * - a WebSocket at that URL exchanges protobuf frames: the client pings (control frame, header
 *   type=ping), the server pongs (type=pong, the ClientConfig as JSON payload); the server pushes
 *   events and callbacks as data frames (type=event, message_id, sum/seq for a payload split
 *   across frames, trace_id), and the client answers each with the same frame whose payload is
 *   `{code, data: base64(JSON answer)}`.
 *
 * Every other HTTP request goes on to `upstream` (the fake Open API), since the SDK takes both
 * from one origin (FEISHU_BASE_URL).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// --- protobuf, the few bits of it the frame needs ---

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  /** 0 control (ping, pong), 1 data (events and their answers) */
  method: number;
  headers: FrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n) & 0xffffffffffffffffn; // negative int32 are 10-byte two's complement
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
}

const tag = (field: number, wire: 0 | 2) => varint((field << 3) | wire);
const bytesField = (field: number, bytes: Uint8Array) => [...tag(field, 2), ...varint(bytes.length), ...bytes];
const textField = (field: number, text: string) => bytesField(field, new TextEncoder().encode(text));

export function encodeFrame(f: Frame): Uint8Array {
  const out: number[] = [
    ...tag(1, 0),
    ...varint(f.SeqID),
    ...tag(2, 0),
    ...varint(f.LogID),
    ...tag(3, 0),
    ...varint(f.service),
    ...tag(4, 0),
    ...varint(f.method),
  ];
  for (const h of f.headers) out.push(...bytesField(5, new Uint8Array([...textField(1, h.key), ...textField(2, h.value)])));
  if (f.payloadEncoding !== undefined) out.push(...textField(6, f.payloadEncoding));
  if (f.payloadType !== undefined) out.push(...textField(7, f.payloadType));
  if (f.payload !== undefined) out.push(...bytesField(8, f.payload));
  if (f.LogIDNew !== undefined) out.push(...textField(9, f.LogIDNew));
  return new Uint8Array(out);
}

/** Reads (field, value) pairs: numbers for varints, byte slices for length-delimited fields. */
function* fields(buf: Uint8Array): Generator<[number, number | Uint8Array]> {
  let at = 0;
  const readVarint = () => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[at++];
      if (b === undefined) throw new Error('truncated varint');
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return Number(BigInt.asIntN(64, v));
    }
  };
  while (at < buf.length) {
    const key = readVarint();
    const wire = key & 7;
    if (wire === 0) yield [key >>> 3, readVarint()];
    else if (wire === 2) {
      const len = readVarint();
      yield [key >>> 3, buf.subarray(at, at + len)];
      at += len;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (v: number | Uint8Array) => new TextDecoder().decode(v as Uint8Array);

export function decodeFrame(buf: Uint8Array): Frame {
  const f: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  for (const [field, v] of fields(buf)) {
    if (field === 1) f.SeqID = v as number;
    else if (field === 2) f.LogID = v as number;
    else if (field === 3) f.service = v as number;
    else if (field === 4) f.method = v as number;
    else if (field === 5) {
      const h: FrameHeader = { key: '', value: '' };
      for (const [hf, hv] of fields(v as Uint8Array)) {
        if (hf === 1) h.key = text(hv);
        if (hf === 2) h.value = text(hv);
      }
      f.headers.push(h);
    } else if (field === 6) f.payloadEncoding = text(v);
    else if (field === 7) f.payloadType = text(v);
    else if (field === 8) f.payload = new Uint8Array(v as Uint8Array);
    else if (field === 9) f.LogIDNew = text(v);
  }
  return f;
}

export const header = (f: Frame, key: string) => f.headers.find((h) => h.key === key)?.value;

// --- the server ---

/** ClientConfig, in seconds as the platform sends it; a ReconnectCount of -1 means no limit. */
export interface ClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

/** What the client put in the response frame to one pushed event. */
export interface PushAnswer {
  code: number;
  /** the handler's answer, decoded from base64 JSON */
  data?: any;
  /** wall time from the last frame sent to the answer */
  ms: number;
}

export interface Connection {
  id: number;
  deviceId: string;
  socket: WebSocket;
  pings: number;
}

const SERVICE_ID = 33554678;
const MAX_RECORDED = 1000;

export class FakeLongConnectionServer {
  url = '';
  clientConfig: ClientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 };
  /** false: pings go unanswered (and nothing else is sent), as on a half-dead connection */
  answerPings = true;
  /** answered by the endpoint call instead of a URL, e.g. {code: 1000040343} (busy) */
  endpointFailure?: { code: number; msg: string };
  readonly endpointCalls: Array<{ AppID?: string; AppSecret?: string; at: number }> = [];
  /** open connections, oldest first */
  readonly connections: Connection[] = [];
  connectionsOpened = 0;
  private server?: Server;
  private wss?: WebSocketServer;
  private seq = 0;
  private readonly pending = new Map<string, { resolve(a: PushAnswer): void; sentAt: number }>();

  constructor(
    private readonly credentials: { appId: string; appSecret: string },
    /** the fake Open API, for every request that is not the endpoint call */
    private readonly upstream?: string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/ws' });
    this.wss.on('connection', (socket, req) => this.accept(socket, req));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const c of this.connections.splice(0)) c.socket.terminate();
    this.wss?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Drops every connection at the TCP level, as a network failure or a server restart does. */
  dropAll(): void {
    for (const c of this.connections.splice(0)) c.socket.terminate();
  }

  /**
   * Waits for `n` open connections whose client is listening: one that has pinged (the SDK pings
   * as soon as its socket opens, and reads frames from then on). Pushed before that, a frame
   * could reach a socket nobody reads yet.
   */
  async waitForConnections(n: number, timeoutMs = 10_000): Promise<Connection[]> {
    const ready = () => this.connections.filter((c) => c.pings > 0);
    await waitUntil(() => ready().length >= n, timeoutMs, `${n} open long connection(s), have ${this.connections.length}`);
    return ready().slice(0, n);
  }

  /**
   * Pushes one event or callback to a connection (the oldest by default), split into `parts`
   * frames when asked, and resolves with the client's answer.
   */
  push(payload: unknown, o: { to?: Connection; parts?: number; messageId?: string; timeoutMs?: number } = {}): Promise<PushAnswer> {
    const conn = o.to ?? this.connections[0];
    if (!conn) throw new Error('no open long connection to push to');
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    const parts = o.parts ?? 1;
    const messageId = o.messageId ?? `msg_${++this.seq}_${Date.now()}`;
    const size = Math.ceil(bytes.length / parts);
    const answer = new Promise<PushAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(messageId);
        reject(new Error(`no answer to pushed message ${messageId} within ${o.timeoutMs ?? 10_000} ms`));
      }, o.timeoutMs ?? 10_000);
      this.pending.set(messageId, {
        sentAt: Date.now(),
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      });
    });
    for (let i = 0; i < parts; i++) {
      const frame: Frame = {
        SeqID: ++this.seq,
        LogID: this.seq,
        service: SERVICE_ID,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: String(parts) },
          { key: 'seq', value: String(i) },
          { key: 'trace_id', value: `trace_${messageId}` },
        ],
        payload: bytes.subarray(i * size, (i + 1) * size),
      };
      conn.socket.send(encodeFrame(frame));
    }
    this.pending.get(messageId)!.sentAt = Date.now();
    return answer;
  }

  private accept(socket: WebSocket, req: IncomingMessage) {
    const url = new URL(req.url ?? '/', 'http://x');
    const conn: Connection = { id: ++this.connectionsOpened, deviceId: url.searchParams.get('device_id') ?? '', socket, pings: 0 };
    this.connections.push(conn);
    socket.on('close', () => {
      const i = this.connections.indexOf(conn);
      if (i >= 0) this.connections.splice(i, 1);
    });
    socket.on('message', (data: Buffer) => {
      const frame = decodeFrame(new Uint8Array(data));
      const type = header(frame, 'type');
      if (frame.method === 0 && type === 'ping') {
        conn.pings += 1;
        if (!this.answerPings) return;
        const pong: Frame = { ...frame, headers: [{ key: 'type', value: 'pong' }], payload: new TextEncoder().encode(JSON.stringify(this.clientConfig)) };
        socket.send(encodeFrame(pong));
        return;
      }
      if (frame.method === 1) {
        const messageId = header(frame, 'message_id') ?? '';
        const waiting = this.pending.get(messageId);
        if (!waiting) return;
        this.pending.delete(messageId);
        const body = JSON.parse(text(frame.payload ?? new Uint8Array())) as { code: number; data?: string };
        const answer = body.data === undefined ? undefined : JSON.parse(Buffer.from(body.data, 'base64').toString('utf8'));
        waiting.resolve({ code: body.code, data: answer, ms: Date.now() - waiting.sentAt });
      }
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/callback/ws/endpoint') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { AppID?: string; AppSecret?: string };
      this.endpointCalls.push({ ...body, at: Date.now() });
      if (this.endpointCalls.length > MAX_RECORDED) this.endpointCalls.shift();
      const reply = (status: number, b: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(b));
      };
      if (body.AppID !== this.credentials.appId || body.AppSecret !== this.credentials.appSecret) {
        return reply(200, { code: 514, msg: 'auth failed', data: {} });
      }
      if (this.endpointFailure) return reply(200, { ...this.endpointFailure, data: {} });
      const port = (this.server!.address() as AddressInfo).port;
      const device = `device_${this.endpointCalls.length}`;
      return reply(200, {
        code: 0,
        msg: 'ok',
        data: { URL: `ws://127.0.0.1:${port}/ws?device_id=${device}&service_id=${SERVICE_ID}&ticket=t_${device}`, ClientConfig: this.clientConfig },
      });
    }
    if (!this.upstream) {
      res.writeHead(404).end();
      return;
    }
    // Everything else is the Open API: on to the fake Feishu, as is.
    const target = new URL(req.url ?? '/', this.upstream);
    const forward = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  }
}

export async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startFakeLongConnectionServer(credentials: { appId: string; appSecret: string }, upstream?: string) {
  return new FakeLongConnectionServer(credentials, upstream).start();
}
