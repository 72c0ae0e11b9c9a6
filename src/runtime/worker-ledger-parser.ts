/**
 * Node: ledger files are parsed in a worker thread with its own heap limit and a time limit, so
 * a large or hostile file cannot block the event loop (acknowledgements, /healthz, other
 * people's commands) or exhaust the service's memory. A thread per file: imports are rare, and
 * the thread's memory is returned as soon as it ends.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { refusedLedger, type ParsedLedger } from '../ledger-io/ledger.js';
import { formatOfFileName, type LedgerParser } from '../ledger-io/parse.js';
import type { Logger } from '../logger.js';

export interface WorkerParserOptions {
  /** ledger-parse.worker.ts under tsx or vitest; the bundled ledger-parse.worker.js after the build */
  workerUrl: URL;
  /** the thread's heap limit (resourceLimits.maxOldGenerationSizeMb) */
  maxMemoryMb: number;
  timeoutMs: number;
  log: Logger;
}

export const DEFAULT_PARSE_MEMORY_MB = 256;
export const DEFAULT_PARSE_TIMEOUT_MS = 60_000;

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

export function createWorkerLedgerParser(o: WorkerParserOptions): LedgerParser {
  return (fileName, bytes, ctx) =>
    new Promise<ParsedLedger>((resolve) => {
      const worker = startWorker(o.workerUrl, {
        workerData: { fileName, bytes, ctx },
        resourceLimits: { maxOldGenerationSizeMb: o.maxMemoryMb },
      });
      let done = false;
      const finish = (ledger: ParsedLedger) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve(ledger);
      };
      const refuse = (message: string) => finish(refusedLedger(formatOfFileName(fileName) ?? 'txt', fileName, { message }));
      const timer = setTimeout(() => {
        o.log.warn('ledger file parse timed out', { fileName, timeoutMs: o.timeoutMs });
        refuse(`读取文件超过了${Math.round(o.timeoutMs / 1000)}秒的时间上限：文件过大或结构过于复杂，本次未导入任何内容。请删去多余的工作表、图片和格式，或把台账拆分为几个文件后重新发送。`);
      }, o.timeoutMs);
      worker.once('message', (ledger: ParsedLedger) => finish(ledger));
      worker.once('error', (e: Error & { code?: string }) => {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          o.log.warn('ledger file parse ran out of memory', { fileName, maxMemoryMb: o.maxMemoryMb });
          return refuse(`读取文件时超出了${o.maxMemoryMb} MB 的内存上限：文件过大或结构过于复杂，本次未导入任何内容。请删去多余的工作表、图片和格式，或把台账拆分为几个文件后重新发送。`);
        }
        o.log.error('ledger file parse failed', { fileName, error: e.message });
        refuse('读取这个文件时出错，本次未导入任何内容。请确认文件能用 Excel 或 Word 正常打开，另存一份后重新发送；如仍不行，请联系管理员。');
      });
      worker.once('exit', (code) => {
        if (!done) o.log.error('ledger file parse thread ended without a result', { fileName, exitCode: code });
        refuse('读取这个文件时出错，本次未导入任何内容。请另存一份后重新发送；如仍不行，请联系管理员。');
      });
    });
}
