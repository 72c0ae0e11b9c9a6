/**
 * The playground's server side, without a browser: its events go through the real, verifying
 * door; what the bot sends (replies, card updates, files) reaches the page's stream; files the
 * page sent can be downloaded; in Feishu mode there is no playground.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BOT, DEFAULT_CAST, LEADING_GROUP, p2pChatId } from '../../src/playground/cast.js';
import { messageReceivePayload, sealEvent } from '../../src/playground/events.js';
import { createPlaygroundHub } from '../../src/playground/hub.js';
import { createLogger } from '../../src/logger.js';
import type { ActionAnswer, StateView, StreamEvent } from '../../src/playground/protocol.js';
import { mentionsIn } from '../../src/playground/server.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';

const ADMIN = DEFAULT_CAST.find((c) => c.role === 'admin')!;
const SECRETARY = DEFAULT_CAST.find((c) => c.role === 'secretary')!;
const NO_KEYS = { FEISHU_ENCRYPT_KEY: '', FEISHU_VERIFICATION_TOKEN: '' };

let svc: TestService | undefined;
let fake: FakeFeishu | undefined;
afterEach(async () => {
  await svc?.close();
  await fake?.stop();
  svc = fake = undefined;
});

async function playground() {
  svc = await startTestService({ playground: true, env: NO_KEYS });
  return svc;
}

const api = (s: TestService, path: string, body: unknown) =>
  s.app.request(`/playground/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const state = async (s: TestService) => (await (await s.app.request('/playground/api/state')).json()) as StateView;
const texts = (st: StateView, chatId: string) =>
  st.messages.filter((m) => m.chatId === chatId && m.msgType === 'text').map((m) => `${m.from === 'bot' ? 'bot' : m.from}: ${JSON.parse(m.content).text}`);

/** Reads server-sent events from /playground/stream until `until` is satisfied or time runs out. */
async function readStream(s: TestService, until: (events: StreamEvent[]) => boolean, act: () => Promise<unknown>): Promise<StreamEvent[]> {
  const res = await s.app.request('/playground/stream');
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const events: StreamEvent[] = [];
  let buffer = '';
  const read = (async () => {
    const deadline = Date.now() + 20_000;
    while (!until(events) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name === 'hub' && data) events.push(JSON.parse(data) as StreamEvent);
      }
    }
    await reader.cancel();
  })();
  await act();
  await read;
  return events;
}

describe('the playground hub (its FeishuClient)', () => {
  it('keeps what the bot sends in chats: creates, replies, PATCHes and delayed updates in place; unknown targets fail for good', async () => {
    const lines: string[] = [];
    const hub = createPlaygroundHub(createLogger('info', (line) => lines.push(line)));
    const seen: string[] = [];
    hub.subscribe((e) => seen.push(e.type === 'cast' ? 'cast' : `${e.type}:${e.message.id}:${e.message.revision}`));
    const card = (title: string) => JSON.stringify({ schema: '2.0', header: { title: { tag: 'plain_text', content: title } }, body: { elements: [] } });

    const sent = await hub.client.send({
      kind: 'create',
      receiveIdType: 'open_id',
      receiveId: SECRETARY.openId,
      msgType: 'interactive',
      content: card('一'),
      uuid: 'u1',
    });
    expect(sent.ok).toBe(true);
    const id = (sent as { messageId: string }).messageId;
    expect(hub.message(id)?.chatId).toBe(p2pChatId(SECRETARY.openId));
    expect(await hub.client.send({ kind: 'patch', messageId: id, content: card('二') })).toEqual({ ok: true, messageId: id });
    hub.rememberCardToken('c-token', id);
    expect(await hub.client.send({ kind: 'card_update', token: 'c-token', content: card('三') })).toEqual({ ok: true });
    expect(hub.message(id)).toMatchObject({ revision: 2, content: card('三') });
    const reply = await hub.client.send({ kind: 'reply', replyTo: id, msgType: 'text', content: '{"text":"好"}', uuid: 'u2' });
    expect(hub.message((reply as { messageId: string }).messageId)).toMatchObject({ chatId: p2pChatId(SECRETARY.openId), replyTo: id });
    expect(seen.slice(0, 3)).toEqual([`message:${id}:0`, `update:${id}:1`, `update:${id}:2`]);

    expect(await hub.client.send({ kind: 'patch', messageId: 'om_gone', content: card('x') })).toMatchObject({ ok: false, permanent: true });
    expect(await hub.client.send({ kind: 'card_update', token: 'c-unknown', content: card('x') })).toMatchObject({ ok: false, permanent: true });
    // A recipient outside the cast still gets a chat: nothing the bot sends is dropped.
    await hub.client.send({ kind: 'create', receiveIdType: 'chat_id', receiveId: 'oc_elsewhere', msgType: 'text', content: '{"text":"在吗"}', uuid: 'u3' });
    expect(hub.chat('oc_elsewhere')).toMatchObject({ type: 'group' });
    // Each message is still logged in one summary, as local mode does.
    expect(lines.filter((l) => l.includes('[local] message to')).length).toBe(7);
    expect(await hub.client.botOpenId()).toBe(BOT.openId);
  });
});

describe('the playground (service)', () => {
  it('is not served without the option, as in Feishu mode', async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake });
    expect(svc.config.mode).toBe('feishu');
    for (const path of ['/playground', '/playground/app.js', '/playground/api/state', '/playground/stream'])
      expect((await svc.app.request(path)).status).toBe(404);
    expect((await api(svc, 'say', { chatId: 'x', from: 'y', text: '帮助' })).status).toBe(404);
  });

  it('posts signed, encrypted events with keys made for the run; a tampered signature is refused', async () => {
    const s = await playground();
    const { encryptKey, verificationToken } = s.deps.config.feishu;
    expect(encryptKey).toMatch(/^[0-9a-f]{32}$/);
    expect(verificationToken).toMatch(/^[0-9a-f]{32}$/);

    const adminChat = p2pChatId(ADMIN.openId);
    expect((await api(s, 'say', { chatId: adminChat, from: ADMIN.openId, text: `/role @${SECRETARY.name} secretary` })).status).toBe(200);
    await s.settle();
    expect(texts(await state(s), adminChat)).toEqual([`${ADMIN.openId}: /role @${SECRETARY.name} secretary`, `bot: 已授予 ${SECRETARY.name}“整改办”角色。`]);

    // The same kind of event, signed with a wrong key: the door refuses it and nothing is answered.
    const payload = messageReceivePayload({
      header: { eventId: 'ev_forged_1', token: verificationToken!, createTime: String(Date.now()), appId: 'cli_x', tenantKey: 't' },
      senderOpenId: ADMIN.openId,
      senderType: 'user',
      messageId: 'om_forged_1',
      chatId: adminChat,
      chatType: 'p2p',
      messageType: 'text',
      content: JSON.stringify({ text: '帮助' }),
    });
    const good = await sealEvent(payload, { encryptKey: encryptKey! });
    const forged = { ...good.headers, 'x-lark-signature': good.headers['x-lark-signature']!.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    expect((await s.app.request('/feishu/events', { method: 'POST', body: good.body, headers: forged })).status).toBe(401);
    const wrongKey = await sealEvent(payload, { encryptKey: 'not-the-key' });
    expect((await s.app.request('/feishu/events', { method: 'POST', body: wrongKey.body, headers: wrongKey.headers })).status).toBe(401);
    await s.settle();
    expect((await state(s)).messages.filter((m) => m.replyTo === 'om_forged_1')).toEqual([]);
  });

  it('delivers group messages to the bot only when they @ it, with mentions as Feishu carries them', async () => {
    expect(mentionsIn(`@${BOT.name} 设为周报群`, DEFAULT_CAST).mentions).toEqual([{ key: '@_user_1', openId: BOT.openId, name: BOT.name, type: 'bot' }]);
    expect(mentionsIn('/assign 1.2.2 @王海涛', DEFAULT_CAST)).toEqual({
      text: '/assign 1.2.2 @_user_1',
      mentions: [{ key: '@_user_1', openId: 'ou_pg_owner0000000000000000000001', name: '王海涛', type: 'user' }],
    });
    const s = await playground();
    // A form post from another site (text/plain needs no preflight) is refused.
    const crossSite = await s.app.request('/playground/api/say', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ chatId: LEADING_GROUP.id, from: SECRETARY.openId, text: `@${BOT.name} 帮助` }),
    });
    expect(crossSite.status).toBe(415);
    const quiet = (await (await api(s, 'say', { chatId: LEADING_GROUP.id, from: SECRETARY.openId, text: '大家好' })).json()) as { note?: string };
    expect(quiet.note).toContain(`需要 @${BOT.name}`);
    await s.settle();
    expect((await state(s)).messages.filter((m) => m.from === 'bot')).toEqual([]);
  });

  it('a card action answers with its toast, and the updated card reaches the stream; files the page sent can be downloaded', async () => {
    const s = await playground();
    await s.playground!.bootstrap();
    await s.settle();
    const secretaryChat = p2pChatId(SECRETARY.openId);

    const csv = '编号,问题类别,问题,整改措施,责任部门,整改时限\n1.1.1,政治建设方面,学习不深入,修订中心组学习制度,办公室,2030年6月30日\n';
    const bytes = new TextEncoder().encode(`\uFEFF${csv}`);
    const sent = await s.app.request(`/playground/api/file?${new URLSearchParams({ chatId: secretaryChat, from: SECRETARY.openId, name: '台账.csv' })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(sent.status).toBe(200);
    await s.settle();
    const st = await state(s);
    const fileMessage = st.messages.find((m) => m.chatId === secretaryChat && m.msgType === 'file')!;
    const { file_key: key } = JSON.parse(fileMessage.content) as { file_key: string };
    const download = await s.app.request(`/playground/files/${key}`);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    expect(download.headers.get('content-disposition')).toContain(encodeURIComponent('台账.csv'));
    expect((await s.app.request('/playground/files/file_v3_nothing')).status).toBe(404);

    // The bot read the file through downloadMessageResource: its preview card answers the file message.
    const preview = st.messages.find((m) => m.replyTo === fileMessage.id && m.msgType === 'interactive')!;
    expect(preview.content).toContain('确认导入');
    const confirm = JSON.stringify(JSON.parse(preview.content)).match(/"value":(\{"action":"import\.confirm"[^}]*\})/)![1]!;

    let answer: ActionAnswer | undefined;
    const events = await readStream(
      s,
      (ev) => ev.some((e) => e.type === 'update' && e.message.id === preview.id),
      async () => {
        const res = await api(s, 'action', { messageId: preview.id, from: SECRETARY.openId, value: JSON.parse(confirm), formValue: {} });
        answer = (await res.json()) as ActionAnswer;
      },
    );
    expect(answer?.ok).toBe(true);
    expect(answer?.toast?.content).toContain('已导入');
    const update = events.find((e) => e.type === 'update' && e.message.id === preview.id);
    expect(update?.type === 'update' && update.message.content).toContain('已确认导入');
    expect(update?.type === 'update' && update.message.revision).toBe(1);

    // An export arrives as a file message whose file (uploaded by the bot) can be downloaded.
    await api(s, 'say', { chatId: secretaryChat, from: SECRETARY.openId, text: '/export' });
    await s.settle();
    const exported = (await state(s)).messages.find((m) => m.from === 'bot' && m.msgType === 'file');
    expect(exported).toBeDefined();
    const exportedKey = (JSON.parse(exported!.content) as { file_key: string }).file_key;
    const xlsx = new Uint8Array(await (await s.app.request(`/playground/files/${exportedKey}`)).arrayBuffer());
    expect([...xlsx.slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip: the .xlsx workbook
  });

  it('renames a cast member for mentions and bubbles, loads the sample, and runs reminders as of a chosen time', async () => {
    const s = await playground();
    await s.playground!.bootstrap();
    const owner = DEFAULT_CAST.find((c) => c.department === '组织部')!;
    expect((await api(s, 'cast', { openId: owner.openId, name: '王部长', title: '责任人' })).status).toBe(200);
    expect((await api(s, 'cast', { openId: owner.openId, name: SECRETARY.name })).status).toBe(400);
    expect((await api(s, 'cast', { openId: owner.openId, name: '@坏名字' })).status).toBe(400);
    expect((await state(s)).chats.find((c) => c.id === p2pChatId(owner.openId))?.name).toBe('王部长');

    const sample = (await (await api(s, 'sample', {})).json()) as { ok: boolean; note?: string };
    expect(sample).toEqual({ ok: true, note: '已导入 43 项整改措施。' });
    await api(s, 'say', { chatId: p2pChatId(SECRETARY.openId), from: SECRETARY.openId, text: '指派 1.2.2 @王部长' });
    await s.settle();
    expect(texts(await state(s), p2pChatId(SECRETARY.openId))).toContain('bot: 已将措施 1.2.2的责任人设为 王部长。');

    // Tuesday 8 December 2026, 09:00 in Beijing: a working day, 1.2.2 long overdue.
    const run = await api(s, 'run-job', { job: 'reminders', at: '2026-12-08T09:00:00+08:00' });
    const answer = (await run.json()) as { ok: boolean; summary: string };
    expect(answer.ok).toBe(true);
    expect(answer.summary).toMatch(/^到期提醒（reminders:2026-12-08）：\d+ 条消息，发给 .*王部长/);
    await s.settle();
    const ownerCards = (await state(s)).messages.filter((m) => m.chatId === p2pChatId(owner.openId) && m.msgType === 'interactive');
    expect(ownerCards.map((m) => m.content).join()).toContain('1.2.2');
    const again = (await (await api(s, 'run-job', { job: 'reminders', at: '2026-12-08T10:00:00+08:00' })).json()) as { summary: string };
    expect(again.summary).toContain('已执行过');
    expect((await api(s, 'run-job', { job: 'backup', at: '2026-12-08T10:00:00+08:00' })).status).toBe(400);
  }, 60_000);
});
