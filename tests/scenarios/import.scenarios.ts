/**
 * Importing a ledger file in chat, the same way on every runtime: the file download, the
 * spreadsheet parser and the batched import all run where the service runs.
 */
import { expect } from 'vitest';
import { allMeasures } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { fixture } from '../ledger-io/fixtures.js';
import { messageEvent, type MessageOptions } from '../helpers/payloads.js';
import { freshId, postEvent, repliesTo, type Scenario, type ScenarioTarget } from './target.js';

/** Posts a message and waits for its text reply (which must contain `expected`). */
async function ask(target: ScenarioTarget, o: MessageOptions, expected: string): Promise<string> {
  const event = messageEvent({ ...o, messageId: o.messageId ?? freshId('om_import_') });
  expect((await postEvent(target, event)).status).toBe(200);
  const text = () =>
    repliesTo(target.fake, event.event.message.message_id)
      .filter((m) => m.msgType === 'text')
      .map((m) => String(m.content.text))
      .join('\n');
  await target.fake.waitFor(() => text().includes(expected), 30_000, `a reply containing “${expected}”`);
  return text();
}

/** Sends a file message as Feishu does and returns the preview replied to it. */
async function previewFile(target: ScenarioTarget, fileName: string, bytes: Uint8Array, expected: string): Promise<string> {
  const messageId = freshId('om_file_');
  const fileKey = freshId('file_v3_');
  target.fake.resources.set(`${messageId}/${fileKey}`, Buffer.from(bytes));
  const content = JSON.stringify({ file_key: fileKey, file_name: fileName });
  return ask(target, { text: '', openId: target.ledger.people.secretary!.openId!, messageId, messageType: 'file', content }, expected);
}

/** 识别结果 as the preview states it, from the same file parsed here. */
async function recognised(fileName: string, bytes: Uint8Array): Promise<string> {
  const l = await parseLedgerFile(fileName, bytes, { referenceDate: '2025-03-01' });
  return `识别结果：${l.categories.length}类问题，${l.categories.reduce((n, c) => n + c.problems.length, 0)}个问题，${allMeasures(l).length}条整改措施`;
}

/** Rewrites the shared seeded ledger: register these after the scenarios that read it. */
export const importScenarios: Scenario[] = [
  {
    name: 'a secretary previews Word tables, .doc, .xls and PDF files in chat, read where the service runs (the Worker too)',
    async run(target) {
      const secretary = target.ledger.people.secretary!.openId!;
      const docx = await previewFile(target, 'word-table-ledger.docx', fixture('layouts/word-table-ledger.docx'), '识别结果');
      expect(docx).toContain('识别结果：2类问题，5个问题，10条整改措施');
      // Its empty 完成时限 cell is 时限待定, not an error.
      expect(docx).toContain('时限待定1条');
      const doc = await previewFile(target, 'word-table-ledger.doc', fixture('layouts/word-table-ledger.doc'), '识别结果');
      expect(doc).toContain('识别结果：2类问题，5个问题，10条整改措施');
      expect(await previewFile(target, 'hulin-union-ledger.xls', fixture('layouts/hulin-union-ledger.xls'), '识别结果')).toContain(
        '识别结果：5类问题，15个问题，43条整改措施',
      );
      const pdf = fixture('layouts/measure-labels.pdf');
      expect(await previewFile(target, 'measure-labels.pdf', pdf, '识别结果')).toContain(await recognised('measure-labels.pdf', pdf));
      const scan = await previewFile(target, 'scan.pdf', fixture('layouts/measure-labels-scanned.pdf'), '没有文字层');
      expect(scan).toContain('本次未导入任何内容');
      expect(await ask(target, { text: '取消导入', openId: secretary }, '取消')).toBeTruthy();
    },
  },
  {
    name: 'a secretary imports a spreadsheet in chat (preview, /confirm-import) and exports the 台账 with /export',
    async run(target) {
      const secretary = target.ledger.people.secretary!.openId!;
      const messageId = freshId('om_file_');
      const fileKey = freshId('file_v3_');
      target.fake.resources.set(`${messageId}/${fileKey}`, Buffer.from(fixture('hulin-union-ledger.xlsx')));
      const content = JSON.stringify({ file_key: fileKey, file_name: 'hulin-union-ledger.xlsx' });
      const preview = await ask(target, { text: '', openId: secretary, messageId, messageType: 'file', content }, '识别结果');
      expect(preview).toContain('识别结果：5类问题，15个问题，43条整改措施');
      expect(preview).toContain('变更：新增31条，更新12条');
      expect(preview).toContain('/confirm-import（确认导入）');

      const done = await ask(target, { text: '确认导入', openId: secretary }, '已导入');
      // The file's codes overlap the seeded campaign's 12 measures: those are updated, 31 are new.
      expect(done).toContain('新增31条，更新12条');
      expect(await ask(target, { text: '/confirm-import', openId: secretary }, '目前没有待确认的导入')).not.toContain('新增');

      // /export builds the workbook and uploads it where the service runs.
      const uploadsBefore = target.fake.uploads.length;
      const exportEvent = messageEvent({ text: '/export', openId: secretary, messageId: freshId('om_export_') });
      await postEvent(target, exportEvent);
      const fileReply = () => repliesTo(target.fake, exportEvent.event.message.message_id).find((m) => m.msgType === 'file');
      await target.fake.waitFor(() => fileReply() !== undefined, 30_000, 'the exported file');
      const upload = target.fake.uploads.slice(uploadsBefore).find((u) => u.fileKey === fileReply()!.content.file_key);
      expect(upload?.fileName).toMatch(/整改台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const exported = await parseLedgerFile('export.xlsx', new Uint8Array(upload!.bytes), { referenceDate: '2024-09-14' });
      expect(allMeasures(exported)).toHaveLength(43);
    },
  },
];
