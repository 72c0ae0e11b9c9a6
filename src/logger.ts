/** A small structured logger: one line per record, fields as key=value. No secrets go in here. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFields = Record<string, unknown>;

export interface Logger {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
}

/** One record as the sink receives it, beside its formatted line (tests read these, not the text). */
export interface LogEntry {
  level: LogLevel;
  msg: string;
  fields: LogFields;
  at: Date;
}

/** What a failure looked like, safe to log: no request bodies, headers, tokens or other own properties. */
export interface ErrorDescription {
  name: string;
  message: string;
  /** SQLite, errno or platform code, when the error carries one */
  code?: string | number;
  /** HTTP status, when the error carries one */
  status?: number;
  stack?: string;
  cause?: ErrorDescription;
  /** set when the cause chain went deeper than is logged */
  truncated?: true;
}

/** Causes followed below the error itself; a chain that loops on itself stops here too. */
export const MAX_CAUSE_DEPTH = 4;
const MAX_MESSAGE_CHARS = 1_000;
const MAX_STACK_CHARS = 4_000;

/**
 * Credentials that can end up in an error's text: a bearer header quoted by an HTTP library, or
 * a token or secret written as name=value / "name":"value" (tenant_access_token, app_secret...).
 */
const SECRETS: Array<[RegExp, string]> = [
  [/(bearer\s+)[^\s"',;]+/gi, '$1[redacted]'],
  [/((?:access_token|refresh_token|app_secret|secret|password|token|encrypt_key)["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi, '$1[redacted]'],
];

function redact(text: string, max: number): string {
  let out = text.length > max ? `${text.slice(0, max)}…` : text;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Name, message, stack and the cause chain of anything thrown, for a log record. Only these
 * (and a scalar `code` / `status`) are copied: errors from HTTP clients carry the request and
 * its headers as properties, which must never reach a log.
 */
export function describeError(e: unknown, depth = 0): ErrorDescription {
  if (!(e instanceof Error)) {
    return {
      name: typeof e === 'object' && e !== null ? 'NonErrorObject' : 'NonError',
      message: redact(typeof e === 'string' ? e : String(e), MAX_MESSAGE_CHARS),
    };
  }
  const out: ErrorDescription = { name: e.name, message: redact(e.message, MAX_MESSAGE_CHARS) };
  const { code, status } = e as { code?: unknown; status?: unknown };
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (typeof status === 'number') out.status = status;
  if (typeof e.stack === 'string') out.stack = redact(e.stack, MAX_STACK_CHARS);
  if (e.cause !== undefined) {
    if (depth < MAX_CAUSE_DEPTH) out.cause = describeError(e.cause, depth + 1);
    else out.truncated = true;
  }
  return out;
}

const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

function formatValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(describeError(v));
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

export function formatLogLine(level: LogLevel, msg: string, fields: LogFields | undefined, at: Date): string {
  const tail = fields
    ? Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}=${formatValue(v)}`)
        .join('')
    : '';
  return `${at.toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${tail}`;
}

export function createLogger(
  level: LogLevel,
  write: (line: string, level: LogLevel, entry: LogEntry) => void = (line, l) => (l === 'error' || l === 'warn' ? console.error(line) : console.log(line)),
  now: () => Date = () => new Date(),
): Logger {
  const at = (l: LogLevel) => (msg: string, fields?: LogFields) => {
    if (rank[l] > rank[level]) return;
    const entry: LogEntry = { level: l, msg, fields: fields ?? {}, at: now() };
    write(formatLogLine(l, msg, fields, entry.at), l, entry);
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
