/** A small structured logger: one line per record, fields as key=value. No secrets go in here. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFields = Record<string, unknown>;

export interface Logger {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
}

const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

function formatValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
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
  write: (line: string, level: LogLevel) => void = (line, l) => (l === 'error' || l === 'warn' ? console.error(line) : console.log(line)),
  now: () => Date = () => new Date(),
): Logger {
  const at = (l: LogLevel) => (msg: string, fields?: LogFields) => {
    if (rank[l] <= rank[level]) write(formatLogLine(l, msg, fields, now()), l);
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
