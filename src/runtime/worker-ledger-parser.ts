/**
 * Node: ledger files are parsed in a worker thread with its own heap limit and a time limit, so
 * a large or hostile file cannot block the event loop (acknowledgements, /healthz, other
 * people's commands) or exhaust the service's memory.
 *
 * One thread is kept warm between files: starting a thread, loading the spreadsheet library and
 * compiling its code cost more than parsing a large workbook. It parses one file at a time (a
 * file arriving meanwhile gets a thread of its own, ended after it) and is replaced after anything
 * goes wrong (an error, a limit hit, the thread dying: the next file never meets a broken
 * thread), after `maxParsesPerThread` files, and when idle for `idleMs` after reading files, so
 * the memory a large file left is returned. An idle thread does not keep the process alive.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { systemClock, type Clock } from '../clock.js';
import { refusedLedger, type ParsedLedger } from '../ledger-io/ledger.js';
import { formatOfFileName, type LedgerParser } from '../ledger-io/parse.js';
import { describeError, type Logger } from '../logger.js';
import type { LedgerParseJob, LedgerParseResult, LedgerWarmUp } from './ledger-parse-job.js';

export interface WorkerParserOptions {
  /** ledger-parse.worker.ts under tsx or vitest; the bundled ledger-parse.worker.js after the build */
  workerUrl: URL;
  /** the thread's heap limit (resourceLimits.maxOldGenerationSizeMb) */
  maxMemoryMb: number;
  timeoutMs: number;
  log: Logger;
  /** files one thread parses before it is replaced (its heap starts afresh) */
  maxParsesPerThread?: number;
  /** how long a thread that has read files waits for the next one before it is replaced */
  idleMs?: number;
  /**
   * The service: a thread stands ready, warmed up, from prewarm() on. A thread replaced after
   * its quota, its idle time or a failed file is followed by a fresh one at once.
   */
  keepWarm?: boolean;
  /** whose time the idle and time limits run on (tests move it); the system clock by default */
  clock?: Pick<Clock, 'alarm'>;
}

/** Called as a LedgerParser; also starts and ends its threads. */
export interface WorkerLedgerParser extends LedgerParser {
  /** Starts a thread and warms up its readers now (service start, a file downloading), unless one is ready. */
  prewarm(): void;
  /** Ends the threads; a parse in flight is refused. */
  close(): Promise<void>;
  /** The threads started so far (by thread id, in order) and the one kept warm, if any. */
  threads(): { started: number[]; warm: number | undefined };
}

export const DEFAULT_PARSE_MEMORY_MB = 256;
export const DEFAULT_PARSE_TIMEOUT_MS = 60_000;
export const DEFAULT_PARSES_PER_THREAD = 50;
export const DEFAULT_PARSE_IDLE_MS = 10 * 60_000;

const REFUSAL_TAIL = '本次未导入任何内容。请删去多余的工作表、图片和格式，或把台账拆分为几个文件后重新发送。';
export const PARSE_FAILED_REPLY = '读取这个文件时出错，本次未导入任何内容。请确认文件能用 Excel 或 Word 正常打开，另存一份后重新发送；如仍不行，请联系管理员。';
export const PARSE_THREAD_ENDED_REPLY = '读取这个文件时出错，本次未导入任何内容。请另存一份后重新发送；如仍不行，请联系管理员。';

/**
 * Starts the worker. A TypeScript entry (tests, the command-line tools under tsx) is loaded
 * through tsx's loader, registered inside the thread: a worker does not inherit the parent's.
 */
function startWorker(url: URL, options: WorkerOptions): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** One thread and the job it runs, if any. */
interface Thread {
  worker: Worker;
  parses: number;
  /** the file in flight: `refuse` settles its parse when the thread fails or ends */
  job?: { fileName: string; refuse(message: string): void };
  dead: boolean;
  /** cancels the idle alarm */
  idleTimer?: () => void;
}

export function createWorkerLedgerParser(o: WorkerParserOptions): WorkerLedgerParser {
  const maxParses = o.maxParsesPerThread ?? DEFAULT_PARSES_PER_THREAD;
  const idleMs = o.idleMs ?? DEFAULT_PARSE_IDLE_MS;
  const clock = o.clock ?? systemClock;
  let warm: Thread | undefined;
  let closed = false;
  let nextJobId = 1;
  const threads = new Set<Thread>();
  const started: number[] = [];

  function spawn(): Thread {
    const worker = startWorker(o.workerUrl, { resourceLimits: { maxOldGenerationSizeMb: o.maxMemoryMb } });
    const t: Thread = { worker, parses: 0, dead: false };
    threads.add(t);
    started.push(worker.threadId);
    o.log.debug('ledger parse thread started', { threadId: worker.threadId });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        o.log.warn('ledger file parse ran out of memory', { fileName: t.job?.fileName, maxMemoryMb: o.maxMemoryMb });
        return retire(t, `读取文件时超出了${o.maxMemoryMb} MB 的内存上限：文件过大或结构过于复杂，${REFUSAL_TAIL}`);
      }
      o.log.error('ledger file parse failed', { fileName: t.job?.fileName, error: describeError(e) });
      retire(t, PARSE_FAILED_REPLY);
    });
    worker.on('exit', (code) => {
      if (t.job) o.log.error('ledger file parse thread ended without a result', { fileName: t.job.fileName, exitCode: code });
      retire(t, PARSE_THREAD_ENDED_REPLY);
    });
    return t;
  }

  /** Ends a thread for good; its job in flight, if any, is refused with `message`. */
  function retire(t: Thread, message: string) {
    // Once: the 'exit' that follows terminate() finds it done.
    if (t.dead) return;
    t.dead = true;
    // Only a thread that read files is followed by a fresh one: one that dies on its own (a
    // broken bundle) must not start another in a loop.
    const replace = o.keepWarm && t.parses + (t.job ? 1 : 0) > 0;
    const job = t.job;
    t.job = undefined;
    if (warm === t) warm = undefined;
    t.idleTimer?.();
    threads.delete(t);
    void t.worker.terminate();
    job?.refuse(message);
    if (replace) prewarm();
  }

  /** A parse finished well: keep the thread warm for the next file, unless it is spent or spare. */
  function release(t: Thread) {
    if (t.parses >= maxParses || warm) return retire(t, PARSE_THREAD_ENDED_REPLY);
    park(t);
  }

  /** Keeps a thread for the next file; one that has read files is replaced when idle (its heap returned). */
  function park(t: Thread) {
    warm = t;
    t.worker.unref();
    if (t.parses === 0) return;
    // An alarm never keeps the process alive, so neither does an idle thread.
    t.idleTimer = clock.alarm(idleMs, () => {
      o.log.debug('ledger parse thread idle, ended', { threadId: t.worker.threadId });
      retire(t, PARSE_THREAD_ENDED_REPLY);
    });
  }

  function take(): Thread {
    const t = warm ?? spawn();
    if (warm === t) {
      warm = undefined;
      t.idleTimer?.();
    }
    t.worker.ref();
    return t;
  }

  const parse: LedgerParser = (fileName, bytes, ctx) =>
    new Promise<ParsedLedger>((resolve) => {
      const t = take();
      const id = nextJobId++;
      const refuse = (message: string) => finish(refusedLedger(formatOfFileName(fileName) ?? 'txt', fileName, { message }));
      const finish = (ledger: ParsedLedger) => {
        cancelTimer();
        t.worker.off('message', onMessage);
        t.job = undefined;
        resolve(ledger);
      };
      const onMessage = (r: LedgerParseResult) => {
        if (r.id !== id) return;
        t.parses += 1;
        if ('error' in r) {
          o.log.error('ledger file parse failed', { fileName, error: r.error });
          // Whatever threw may have left the thread's modules in a bad state: start afresh.
          return retire(t, PARSE_FAILED_REPLY);
        }
        finish(r.ledger);
        release(t);
      };
      t.job = { fileName, refuse };
      // The thread is ref'd while it parses, so the (unref'd) alarm's process stays alive.
      const cancelTimer = clock.alarm(o.timeoutMs, () => {
        o.log.warn('ledger file parse timed out', { fileName, timeoutMs: o.timeoutMs });
        retire(t, `读取文件超过了${Math.round(o.timeoutMs / 1000)}秒的时间上限：文件过大或结构过于复杂，${REFUSAL_TAIL}`);
      });
      t.worker.on('message', onMessage);
      t.worker.postMessage({ id, fileName, bytes, ctx } satisfies LedgerParseJob);
    });

  function prewarm() {
    if (warm || closed) return;
    const t = spawn();
    t.worker.postMessage({ warmUp: true } satisfies LedgerWarmUp);
    park(t);
  }

  return Object.assign(parse, {
    prewarm,
    threads: () => ({ started: [...started], warm: warm?.worker.threadId }),
    async close() {
      closed = true;
      const all = [...threads];
      for (const t of all) retire(t, PARSE_THREAD_ENDED_REPLY);
      await Promise.all(all.map((t) => t.worker.terminate()));
    },
  });
}
