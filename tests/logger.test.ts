import { describe, expect, it } from 'vitest';
import { createLogger, describeError, formatLogLine, MAX_CAUSE_DEPTH, type LogEntry } from '../src/logger.js';

function thrownFrom(fn: () => never): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

function openLedgerFile(): never {
  throw Object.assign(new Error('SQLITE_IOERR: disk I/O error'), { code: 'SQLITE_IOERR' });
}

describe('describeError', () => {
  it('keeps name, message, code and stack of the error and of each cause', () => {
    const io = thrownFrom(openLedgerFile);
    const wrapped = new TypeError('import failed', { cause: new Error('statement 3 of 9 failed', { cause: io }) });
    const d = describeError(wrapped);
    expect(d).toMatchObject({ name: 'TypeError', message: 'import failed' });
    expect(d.stack).toContain('TypeError: import failed');
    expect(d.cause).toMatchObject({ name: 'Error', message: 'statement 3 of 9 failed' });
    expect(d.cause!.cause).toMatchObject({ name: 'Error', message: 'SQLITE_IOERR: disk I/O error', code: 'SQLITE_IOERR' });
    // The innermost stack still names the function that threw.
    expect(d.cause!.cause!.stack).toContain('openLedgerFile');
  });

  it('stops a long or looping cause chain at a fixed depth', () => {
    const loop = new Error('loops');
    (loop as { cause?: unknown }).cause = loop;
    let depth = 0;
    let d = describeError(loop);
    while (d.cause) {
      d = d.cause;
      depth += 1;
    }
    expect(depth).toBe(MAX_CAUSE_DEPTH);
    expect(d.truncated).toBe(true);
  });

  it('copies no other property of the error, and hides credentials written in its text', () => {
    const http = Object.assign(new Error('Request failed: Authorization: Bearer t-g1044abcSECRET, tenant_access_token=t-g1044abcSECRET'), {
      status: 401,
      config: { headers: { Authorization: 'Bearer t-g1044abcSECRET' }, data: '{"text":"整改内容"}' },
      response: { data: { msg: 'token invalid' } },
    });
    const d = describeError(http);
    expect(d.status).toBe(401);
    expect(Object.keys(d).sort()).toEqual(['message', 'name', 'stack', 'status']);
    const text = JSON.stringify(d);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('整改内容');
    expect(d.message).toContain('Bearer [redacted]');
  });

  it('describes values that are not errors without serialising them', () => {
    expect(describeError('boom')).toEqual({ name: 'NonError', message: 'boom' });
    expect(describeError({ body: 'secret payload' })).toEqual({ name: 'NonErrorObject', message: '[object Object]' });
  });
});

describe('the logger', () => {
  it('hands the sink each entry with its fields, and writes the description on one line', () => {
    const entries: LogEntry[] = [];
    const lines: string[] = [];
    const log = createLogger(
      'info',
      (line, _level, entry) => {
        lines.push(line);
        entries.push(entry);
      },
      () => new Date('2025-10-09T02:00:00.000Z'),
    );
    const error = new Error('outer', { cause: new Error('inner') });
    log.error('job period failed', { job: 'reminders', error: describeError(error) });
    log.debug('not written');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 'error', msg: 'job period failed', fields: { job: 'reminders' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).toContain('"cause":{"name":"Error","message":"inner"');
  });

  it('an Error passed as a field is logged with its stack, not its message alone', () => {
    const line = formatLogLine('error', 'failed', { error: new Error('outer', { cause: new Error('inner') }) }, new Date(0));
    const logged = JSON.parse(line.slice(line.indexOf('error=') + 'error='.length));
    expect(logged).toMatchObject({ name: 'Error', message: 'outer', cause: { message: 'inner' } });
    expect(logged.stack).toContain('logger.test.ts');
  });
});
