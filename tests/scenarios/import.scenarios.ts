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

/** Rewrites the shared seeded ledger: register these after the scenarios that read it. */
export const importScenarios: Scenario[] = [
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
