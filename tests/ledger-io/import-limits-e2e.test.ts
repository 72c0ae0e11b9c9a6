import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { measures, pendingImports } from '../../db/schema.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService, type TestServiceOptions } from '../helpers/harness.js';
import { ledgerChat, seedImportPeople } from '../helpers/ledger-chat.js';
import { ledgerCsv, ledgerXlsx } from './ledger-files.js';

/**
 * Nothing lost, nothing frozen: files above the size or row limits, and files the parser
 * cannot cope with, are refused in Chinese while the service keeps answering.
 */

const MB = 1024 * 1024;

let fake: FakeFeishu;
let svc: TestService;
afterEach(async () => {
  await svc?.close();
  await fake?.stop();
});

async function start(env: Record<string, string> = {}, options: Omit<TestServiceOptions, 'fake' | 'env'> = {}) {
  fake = await startFakeFeishu();
  svc = await startTestService({ fake, env, ...options });
  await seedImportPeople(svc);
  return ledgerChat(svc, fake);
}

async function nothingImported() {
  expect(await svc.deps.db.select().from(pendingImports)).toEqual([]);
  expect(await svc.deps.db.select().from(measures)).toEqual([]);
}

describe('the size limit (IMPORT_MAX_MB)', () => {
  it('refuses a file whose Content-Length is above the limit without reading it', async () => {
    const chat = await start();
    const { messageId, resourceKey } = await chat.postFile('大台账.xlsx', randomBytes(30 * MB));
    await svc.settle();
    expect(chat.replyTo(messageId)).toContain('文件超过 10 MB 的导入上限');
    await nothingImported();
    // The body was not read: the server could write little more than the socket buffers hold.
    await fake.waitFor(() => fake.abortedDownloads.length > 0, 5000, 'the download to be broken off');
    expect(fake.abortedDownloads[0]!.key).toBe(resourceKey);
    expect(fake.abortedDownloads[0]!.bytesWritten).toBeLessThan(10 * MB);
  });

  it('stops a download without Content-Length at the limit', async () => {
    const chat = await start({ IMPORT_MAX_MB: '2' });
    const { messageId, resourceKey } = await chat.postFile('台账.csv', randomBytes(12 * MB));
    fake.resourceLength.set(resourceKey, 'omit');
    await svc.settle();
    expect(chat.replyTo(messageId)).toContain('文件超过 2 MB 的导入上限');
    await nothingImported();
    await fake.waitFor(() => fake.abortedDownloads.length > 0, 5000, 'the download to be broken off');
    expect(fake.abortedDownloads[0]!.bytesWritten).toBeLessThan(12 * MB);
  });

  it('accepts a file just under the limit when no Content-Length is sent', async () => {
    const chat = await start({ IMPORT_MAX_MB: '1' });
    const rows = ['编号,问题类别,问题,整改措施,责任部门,整改时限'];
    for (let i = 1; i <= 3000; i++) rows.push(`1.1.${i},类别,问题,第${i}条措施：${'落实'.repeat(40)},办公室,长期坚持`);
    const bytes = new TextEncoder().encode(rows.join('\n'));
    expect(bytes.length).toBeGreaterThan(0.8 * MB);
    expect(bytes.length).toBeLessThan(MB);
    const { messageId, resourceKey } = await chat.postFile('台账.csv', bytes);
    fake.resourceLength.set(resourceKey, 'omit');
    await svc.settle();
    expect(chat.replyTo(messageId)).toContain(`${rows.length - 1}条整改措施`);
  });
});

describe('the row limit (IMPORT_MAX_ROWS)', () => {
  it('refuses a spreadsheet with more rows than the limit, naming it', async () => {
    const chat = await start({ IMPORT_MAX_ROWS: '100' });
    const reply = await chat.sendFile('台账.xlsx', await ledgerXlsx(2000));
    expect(reply).toContain('超出一次最多导入100条整改措施的上限，本次未导入任何内容');
    expect(reply).not.toContain('识别结果');
    await nothingImported();
  });
});

describe('parsing in a worker thread', () => {
  it("refuses a file that exhausts the parse thread's memory, and the service carries on", async () => {
    const chat = await start({}, { ledgerWorker: { maxMemoryMb: 48 } });
    // 4,000 rows of 2,000 columns each: legal in size and rows, far too much for a 48 MB heap.
    const wide = ','.repeat(2000);
    const lines = [`问题,整改措施,责任部门,整改时限${wide}`];
    for (let i = 0; i < 4000; i++) lines.push(`问题,措施${i},办公室,长期坚持${wide}`);
    const reply = await chat.sendFile('台账.csv', new TextEncoder().encode(lines.join('\n')));
    expect(reply).toContain('读取文件时超出了48 MB 的内存上限');
    await nothingImported();
    const health = await svc.app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await chat.sendFile('台账.csv', ledgerCsv(20))).toContain('识别结果：1类问题，2个问题，20条整改措施');
  });

  it('answers /healthz while a large legal file is parsed, and imports it', async () => {
    const chat = await start();
    // 5,000 measures, each row padded with empty columns: seconds of parsing, all synchronous
    // code, so /healthz can answer meanwhile only if the parse runs on another thread.
    const text = new TextDecoder().decode(ledgerCsv(5000)).replace(/\n/g, `${','.repeat(300)}\n`);
    const parse = svc.deps.parseLedger!;
    let parsing = false;
    let answeredWhileParsing = 0;
    svc.deps.parseLedger = async (...args) => {
      parsing = true;
      try {
        return await parse(...args);
      } finally {
        parsing = false;
      }
    };
    const { messageId } = await chat.postFile('台账.csv', new TextEncoder().encode(text));
    while (!chat.replyTo(messageId)) {
      const res = await svc.app.request('/healthz');
      if (res.status === 200 && parsing) answeredWhileParsing += 1;
      await svc.deps.outbox.drain({ maxWaitMs: 0 });
      await new Promise((r) => setTimeout(r, 20));
    }
    await svc.settle();
    expect(chat.replyTo(messageId)).toContain('5000条整改措施');
    expect(answeredWhileParsing).toBeGreaterThan(0);
    expect(await chat.say('确认导入')).toContain('新增5000条');
    expect(await svc.deps.db.select().from(measures)).toHaveLength(5000);
  }, 120_000);
});
