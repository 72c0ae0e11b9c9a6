/**
 * Evidence on every runtime: a file attached after /佐证, recorded once when it arrives twice at
 * once, and sent back to a leader. On Workers without R2 only a reference is kept (and the file
 * is fetched from Feishu again to send it back); with R2 or on Node the bytes are kept.
 */
import { expect } from 'vitest';
import { readable } from '../helpers/chat.js';
import { messageEvent } from '../helpers/payloads.js';
import { command } from './decisions.scenarios.js';
import { freshId, postEvent, repliesTo, type Scenario } from './target.js';

const CODE = '3.2.2';
const REFERENCE_ONLY = '文件保存在飞书中，本系统只记录引用。';

export const evidenceScenarios: Scenario[] = [
  {
    name: 'an owner attaches a file after /佐证; two deliveries at once are recorded once; a leader gets the file back',
    timeoutMs: 90_000,
    async run(target) {
      const sun = target.ledger.people.sun!.openId!;
      const leader = target.ledger.people.leader!.openId!;
      const [asked] = await command(target, sun, `/佐证 ${CODE}`, 2);
      expect(asked).toContain(`10 分钟内`);

      const bytes = Buffer.from(`%PDF 会议纪要 ${freshId('')}`);
      const files = ['会议纪要.pdf', '会议纪要(1).pdf'].map((name) => {
        const messageId = freshId('om_evf_');
        const fileKey = freshId('file_v3_');
        target.fake.resources.set(`${messageId}/${fileKey}`, bytes);
        return messageEvent({ text: '', openId: sun, messageId, messageType: 'file', content: JSON.stringify({ file_key: fileKey, file_name: name }) });
      });
      const acks = await Promise.all(files.map((f) => postEvent(target, f)));
      expect(acks.map((r) => r.status)).toEqual([200, 200]);
      const ids = files.map((f) => f.event.message.message_id);
      await target.fake.waitFor(() => ids.every((id) => repliesTo(target.fake, id).length > 0), 30_000, 'an answer to both files');
      const answers = ids.map((id) => readable(repliesTo(target.fake, id)[0]!)).sort();
      const recorded = answers.filter((a) => a.startsWith(`已作为 ${CODE} 的佐证材料：会议纪要`));
      expect(recorded).toHaveLength(1);
      expect(answers.filter((a) => a.startsWith(`措施 ${CODE} 已有同样的佐证材料`))).toHaveLength(1);
      if (target.evidenceStorage === 'feishu_ref') expect(recorded[0]).toContain(REFERENCE_ONLY);
      else expect(recorded[0]).not.toContain(REFERENCE_ONLY);

      const uploadsBefore = target.fake.uploads.length;
      const [list] = await command(target, leader, `/佐证 ${CODE}`, 2);
      expect(list).toContain(`措施 ${CODE} 的佐证材料（1 件）`);
      const sentBack = target.fake.uploads.slice(uploadsBefore);
      expect(sentBack.map((u) => [u.fileType, u.bytes.equals(bytes)])).toEqual([['pdf', true]]);
    },
  },
];
