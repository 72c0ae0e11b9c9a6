/** A secretary sending ledger files to the bot in a private chat, through the real webhook. */
import { grantRole, upsertPersonByOpenId } from '../../db/queries/people.js';
import type { FakeFeishu } from './fake-feishu.js';
import type { TestService } from './harness.js';
import { messageEvent } from './payloads.js';

export const SECRETARY = 'ou_secretary00000000000000000001';
export const OWNER = 'ou_owner0000000000000000000000001';

let seq = 0;

/** Records a secretary and an owner, as the import tests start from. */
export async function seedImportPeople(svc: TestService): Promise<void> {
  const now = '2024-10-01T00:00:00Z';
  const secretary = await upsertPersonByOpenId(svc.deps.db, SECRETARY, now, '整改办');
  await grantRole(svc.deps.db, secretary.id, 'secretary', 'test', now);
  const owner = await upsertPersonByOpenId(svc.deps.db, OWNER, now, '责任人');
  await grantRole(svc.deps.db, owner.id, 'owner', 'test', now);
}

export function ledgerChat(svc: TestService, fake: FakeFeishu) {
  /** The text of the bot's replies to one message. */
  function replyTo(messageId: string): string {
    return fake
      .sent('reply')
      .filter((m) => m.target === messageId && m.msgType === 'text')
      .map((m) => String(m.content.text))
      .join('\n');
  }

  /** Puts a file on the fake server and posts its file message; returns the message and resource ids. */
  async function postFile(fileName: string, bytes: Uint8Array, openId = SECRETARY) {
    const messageId = `om_file_${++seq}`;
    const fileKey = `file_v3_${seq}`;
    fake.resources.set(`${messageId}/${fileKey}`, Buffer.from(bytes));
    const res = await svc.post(
      messageEvent({ text: '', openId, messageId, messageType: 'file', content: JSON.stringify({ file_key: fileKey, file_name: fileName }) }),
    );
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return { messageId, resourceKey: `${messageId}/${fileKey}` };
  }

  return {
    replyTo,
    postFile,
    /** Sends a file message as Feishu does; returns the text of the bot's reply to it. */
    async sendFile(fileName: string, bytes: Uint8Array, openId = SECRETARY): Promise<string> {
      const { messageId } = await postFile(fileName, bytes, openId);
      await svc.settle();
      return replyTo(messageId);
    },
    async say(text: string, openId = SECRETARY): Promise<string> {
      const messageId = `om_text_${++seq}`;
      await svc.post(messageEvent({ text, openId, messageId }));
      await svc.settle();
      return replyTo(messageId);
    },
  };
}
