import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_PICK_FIELDS, measureFieldNames } from '../../cards/actions.js';
import { auditLog, evidence, evidenceWaivers } from '../../db/schema.js';
import { evidenceDirOf } from '../../src/entry.node.js';
import { noticesTo, readable, say } from '../helpers/chat.js';
import { cardActionEvent, messageEvent } from '../helpers/payloads.js';
import { useSeededService } from '../helpers/seeded-service.js';

// 2025-10-09 10:00 in Beijing, the first working day after the National Day holiday.
const NOW = '2025-10-09T02:00:00.000Z';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake png body')]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let n = 0;

describe('evidence (佐证材料) through chat and cards', () => {
  const t = useSeededService({ now: NOW });

  const rows = async (code: string) => t.svc.deps.db.select().from(evidence).where(eq(evidence.measureId, t.ledger.measures[code]!)).orderBy(evidence.id);

  /** A file message from a person in the private chat, with its bytes served by the fake Feishu. */
  async function sendFile(openId: string, name: string, bytes: Buffer, o: { settle?: boolean; image?: boolean } = {}) {
    const messageId = `om_file_${++n}`;
    const fileKey = o.image ? `img_v3_${n}` : `file_v3_${n}`;
    t.fake.resources.set(`${messageId}/${fileKey}`, bytes);
    const content = o.image ? JSON.stringify({ image_key: fileKey }) : JSON.stringify({ file_key: fileKey, file_name: name });
    const res = await t.svc.post(messageEvent({ text: '', openId, messageId, messageType: o.image ? 'image' : 'file', content }));
    expect(res.status).toBe(200);
    if (o.settle !== false) await t.svc.settle();
    return { messageId, fileKey, replies: () => t.fake.sent('reply').filter((m) => m.target === messageId) };
  }
  const textsOf = (replies: ReturnType<typeof t.fake.sent>) => replies.map(readable);

  /** Sends the measure card to a person with /show; the message id Feishu gave it. */
  async function cardFor(openId: string, code: string): Promise<string> {
    const c = await say(t.svc, t.fake, openId, `/show ${code}`);
    return t.fake.sent('reply').find((m) => m.target === c.messageId && m.msgType === 'interactive')!.messageId;
  }
  async function click(openId: string, messageId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) {
    const res = await t.svc.post(cardActionEvent({ openId, messageId, value, formValue }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast?: { type: string; content: string }; card?: { data: unknown } };
    await t.svc.settle();
    return body;
  }

  it('/佐证 then a file: kept under EVIDENCE_DIR by its SHA-256 and confirmed by name', async () => {
    const asked = await say(t.svc, t.fake, 'ou_wang', '/佐证 1.1.1');
    expect(asked.replies[0]).toContain('请在 10 分钟内（10:10 前）在这里发送文件或图片，每个都将作为措施 1.1.1 的佐证材料');
    expect(asked.replies[1]).toBe('措施 1.1.1 还没有佐证材料。');

    const bytes = Buffer.from('%PDF-1.4 会议纪要');
    const sent = await sendFile('ou_wang', '会议纪要.pdf', bytes);
    expect(textsOf(sent.replies())).toEqual(['已作为 1.1.1 的佐证材料：会议纪要.pdf']);
    const [row] = await rows('1.1.1');
    expect(row).toMatchObject({
      kind: 'file',
      name: '会议纪要.pdf',
      size: bytes.length,
      sha256: sha(bytes),
      storage: 'local',
      source: 'session',
      addedByName: '王芳',
    });
    expect(row!.mime).toBe('application/pdf');
    expect(row!.messageId).toBe(sent.messageId);
    const dir = evidenceDirOf(t.svc.config);
    expect(readFileSync(join(dir, sha(bytes)))).toEqual(bytes);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The measure card lists it.
    const card = (await say(t.svc, t.fake, 'ou_wang', '/show 1.1.1')).replies[0]!;
    expect(card).toContain('佐证材料');
    expect(card).toContain('会议纪要.pdf');
  });

  it('上传佐证 on the card, then an image: named after its format, kept as an image', async () => {
    const m = await t.measure('1.1.1');
    const msg = await cardFor('ou_wang', '1.1.1');
    const started = await click('ou_wang', msg, { action: 'evidence.start', measureId: m.id, version: m.version });
    expect(started.toast).toMatchObject({ type: 'info' });
    expect(started.toast!.content).toContain('作为措施 1.1.1 的佐证材料');
    expect(noticesTo(t.fake, 'ou_wang').join('\n')).toContain('10 分钟内');

    const sent = await sendFile('ou_wang', '', PNG, { image: true });
    expect(textsOf(sent.replies())).toEqual(['已作为 1.1.1 的佐证材料：图片-2025-10-09-100000.png']);
    const [row] = await rows('1.1.1');
    expect(row).toMatchObject({ kind: 'image', mime: 'image/png', sha256: sha(PNG) });
    // Images are fetched with type=image (获取消息中的资源文件).
    const download = t.fake.requests.find((r) => r.path.endsWith(`/resources/${sent.fileKey}`))!;
    expect(download.query.type).toBe('image');
  });

  it('a file with no pending /佐证 asks which measure, and keeps it once one is chosen', async () => {
    const bytes = Buffer.from('PK docx bytes');
    const sent = await sendFile('ou_wang', '整改方案.docx', bytes);
    const [question] = sent.replies();
    expect(question!.msgType).toBe('interactive');
    const shown = readable(question!);
    expect(shown).toContain('整改方案.docx');
    for (const code of ['1.1.1', '1.1.2', '1.2.1']) expect(shown).toContain(code);
    expect(shown).not.toContain('2.1.1'); // not his
    expect(shown).not.toContain('1.2.2'); // closed
    expect(await rows('1.2.1')).toEqual([]);

    // Someone else pressing the card (even the secretary, who may attach evidence to any measure) changes nothing.
    const m = await t.measure('1.2.1');
    const intruder = await click('ou_secretary', question!.messageId, { action: 'evidence.pick' }, { [EVIDENCE_PICK_FIELDS.measure]: String(m.id) });
    expect(intruder.toast?.type).toBe('error');
    expect(await rows('1.2.1')).toEqual([]);

    const picked = await click('ou_wang', question!.messageId, { action: 'evidence.pick' }, { [EVIDENCE_PICK_FIELDS.measure]: String(m.id) });
    expect(picked.toast?.content).toBe('正在保存为措施 1.2.1 的佐证材料');
    expect(noticesTo(t.fake, 'ou_wang')).toContain('已作为 1.2.1 的佐证材料：整改方案.docx');
    expect((await rows('1.2.1')).map((r) => [r.name, r.sha256, r.source])).toEqual([['整改方案.docx', sha(bytes), 'pick']]);
    // The question card now says it is answered.
    const patched = t.fake.sent('patch').find((p) => p.target === question!.messageId)!;
    expect(readable({ ...patched, msgType: 'interactive' })).toContain('已作为措施 1.2.1 的佐证材料');
  });

  it("a secretary's ledger file still goes to the import; after /佐证 the same kind of file is evidence", async () => {
    const ledger = await sendFile('ou_secretary', '台账.csv', Buffer.from('序号,整改措施\n'));
    expect(ledger.replies().every((m) => m.msgType === 'text')).toBe(true);
    expect(textsOf(ledger.replies()).join('\n')).not.toContain('佐证');

    await say(t.svc, t.fake, 'ou_secretary', '/佐证 1.1.1');
    const doc = await sendFile('ou_secretary', '整改通知.docx', Buffer.from('docx'));
    expect(textsOf(doc.replies())).toEqual(['已作为 1.1.1 的佐证材料：整改通知.docx']);
  });

  it('records links from a /report text and from the report form, each once', async () => {
    const c = await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 已印发制度 https://www.example.gov.cn/zcwj/2025/10/09.html，见附件 60%');
    expect(c.replies[0]).toBe('已记录措施 1.2.1 的进展，完成 60%；记录佐证链接 1 个。');
    const again = await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 再次提及 https://www.example.gov.cn/zcwj/2025/10/09.html');
    expect(again.replies[0]).toContain('1 个链接此前已记录');

    const m = await t.measure('1.2.1');
    const msg = await cardFor('ou_wang', '1.2.1');
    const names = measureFieldNames(m.id);
    const bad = await click(
      'ou_wang',
      msg,
      { action: 'measure.report', measureId: m.id, version: m.version },
      { [names.reportText]: '补充', [names.reportLink]: 'ftp://x' },
    );
    expect(bad.toast).toEqual({ type: 'error', content: '佐证链接应是以 http:// 或 https:// 开头的网址。' });
    const ok = await click(
      'ou_wang',
      msg,
      { action: 'measure.report', measureId: m.id, version: m.version },
      { [names.reportText]: '通报已发布', [names.reportLink]: ' https://www.example.gov.cn/tb/1.html ' },
    );
    expect(ok.toast).toEqual({ type: 'success', content: '进展和佐证链接已记录' });
    expect((await rows('1.2.1')).map((r) => [r.kind, r.url, r.source])).toEqual([
      ['link', 'https://www.example.gov.cn/zcwj/2025/10/09.html', 'report'],
      ['link', 'https://www.example.gov.cn/tb/1.html', 'form'],
    ]);
    // The card shows the link as a link to itself.
    expect(JSON.stringify(ok.card)).toContain('](https://www.example.gov.cn/tb/1.html)');
  });

  it('refuses a file over 20 MB and a type that is not accepted, naming the file, its size and the limit', async () => {
    await say(t.svc, t.fake, 'ou_wang', '/佐证 1.1.1');
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 1);
    const tooBig = await sendFile('ou_wang', '现场录像.zip', big);
    expect(textsOf(tooBig.replies())).toEqual(['“现场录像.zip”大小 20.0 MB，超过佐证材料 20 MB 的上限，没有保存。请压缩或拆分后重新发送。']);

    const exe = await sendFile('ou_wang', 'setup.exe', Buffer.from('MZ'));
    const refusal = textsOf(exe.replies())[0]!;
    expect(refusal).toContain('“setup.exe”的文件类型不能作为佐证材料，没有保存');
    expect(refusal).toContain('pdf、doc、docx');
    // Refused by its name: never downloaded.
    expect(t.fake.requests.some((r) => r.path.includes(exe.fileKey))).toBe(false);
    expect(await rows('1.1.1')).toEqual([]);
    expect(existsSync(join(evidenceDirOf(t.svc.config), sha(big)))).toBe(false);
  });

  it('the same file twice is recorded once, also when two deliveries arrive at once, and each sender is told the truth', async () => {
    await say(t.svc, t.fake, 'ou_wang', '/佐证 1.1.1');
    const bytes = Buffer.from('同一份会议纪要');
    await sendFile('ou_wang', '纪要.pdf', bytes);
    const repeat = await sendFile('ou_wang', '纪要-副本.pdf', bytes);
    expect(textsOf(repeat.replies())).toEqual(['措施 1.1.1 已有同样的佐证材料“纪要.pdf”（内容相同），本次没有重复记录。']);

    const other = Buffer.from('另一份材料');
    const [a, b] = await Promise.all([sendFile('ou_wang', '材料A.pdf', other, { settle: false }), sendFile('ou_wang', '材料B.pdf', other, { settle: false })]);
    await t.svc.settle();
    const answers = [...textsOf(a.replies()), ...textsOf(b.replies())].sort();
    expect(answers).toHaveLength(2);
    expect(answers.filter((x) => x.startsWith('已作为 1.1.1 的佐证材料：材料'))).toHaveLength(1);
    expect(answers.filter((x) => x.startsWith('措施 1.1.1 已有同样的佐证材料'))).toHaveLength(1);
    expect((await rows('1.1.1')).map((r) => r.sha256).sort()).toEqual([sha(bytes), sha(other)].sort());
  });

  it('applying for closure is refused without evidence and allowed after, from chat and from the card', async () => {
    const refusal = '申请销号前请先上传佐证材料：发送 /佐证 1.1.1 后发送文件，或在措施卡片上点「上传佐证」。';
    expect((await say(t.svc, t.fake, 'ou_wang', '/done 1.1.1')).replies[0]).toBe(refusal);
    const m = await t.measure('1.1.1');
    const msg = await cardFor('ou_wang', '1.1.1');
    const byCard = await click('ou_wang', msg, { action: 'measure.submit', measureId: m.id, version: m.version });
    expect(byCard.toast).toEqual({ type: 'error', content: refusal });
    expect((await t.measure('1.1.1')).status).toBe(m.status);

    await say(t.svc, t.fake, 'ou_wang', '/佐证 1.1.1');
    await sendFile('ou_wang', '整改报告.pdf', Buffer.from('report'));
    expect((await say(t.svc, t.fake, 'ou_wang', '/done 1.1.1')).replies[0]).toContain('已提交措施 1.1.1 的销号申请');
    expect((await t.measure('1.1.1')).status).toBe('submitted');
    // The verifier's card lists the evidence before verifying.
    const leaderCard = t.fake.sent('create').find((x) => x.target === 'ou_leader' && x.msgType === 'interactive')!;
    expect(readable(leaderCard)).toContain('整改报告.pdf');
    expect(readable(leaderCard)).toContain('[获取佐证文件]');
  });

  it('the secretary waives the evidence with a reason: recorded, shown in the history, closure allowed', async () => {
    expect((await say(t.svc, t.fake, 'ou_wang', '/waive 1.1.2 不需要')).replies[0]).toContain('没有使用 /waive 的权限');
    expect((await say(t.svc, t.fake, 'ou_secretary', '/免于佐证 1.1.2')).replies[0]).toContain('请写明免于佐证的原因。');
    const waived = await say(t.svc, t.fake, 'ou_secretary', '/免于佐证 1.1.2 制度已于2024年印发，本次仅需执行');
    expect(waived.replies[0]).toBe('已记录：措施 1.1.2 免于佐证，原因：制度已于2024年印发，本次仅需执行。责任人现在可以直接申请销号。');
    const m = await t.measure('1.1.2');
    const [w] = await t.svc.deps.db.select().from(evidenceWaivers).where(eq(evidenceWaivers.measureId, m.id));
    expect(w).toMatchObject({ waivedBy: 'ou_secretary', waivedByName: '整改办李明', reason: '制度已于2024年印发，本次仅需执行' });
    const audit = await t.svc.deps.db.select().from(auditLog).where(eq(auditLog.measureId, m.id));
    expect(audit.map((a) => [a.action, a.note])).toEqual([['evidence_waived', '制度已于2024年印发，本次仅需执行']]);

    expect((await say(t.svc, t.fake, 'ou_wang', '/done 1.1.2')).replies[0]).toContain('已提交措施 1.1.2 的销号申请');
    const history = (await say(t.svc, t.fake, 'ou_secretary', '/show 1.1.2')).replies[1]!;
    expect(history).toContain('同意免于佐证（制度已于2024年印发，本次仅需执行）');

    // Returned: the notice names the reason and that there is no evidence at all.
    await say(t.svc, t.fake, 'ou_leader', '/return 1.1.2 缺少落实情况');
    const notice = noticesTo(t.fake, 'ou_wang').join('\n');
    expect(notice).toContain('原因：缺少落实情况。该措施目前没有任何佐证材料');
  });

  it('/佐证 sends the stored files back only to those who may see the measure', async () => {
    await say(t.svc, t.fake, 'ou_wang', '/佐证 1.1.1');
    const bytes = Buffer.from('%PDF 签到表');
    await sendFile('ou_wang', '签到表.pdf', bytes);

    const stranger = await say(t.svc, t.fake, 'ou_zhao', '/佐证 1.1.1');
    expect(stranger.replies).toEqual(['措施 1.1.1 不在您的职责范围内，无法查看。']);
    expect(t.fake.uploads).toEqual([]);

    const leader = await say(t.svc, t.fake, 'ou_leader', '/佐证 1.1.1');
    expect(leader.replies[0]).toContain('措施 1.1.1 的佐证材料（1 件）');
    expect(leader.replies[0]).toContain('1. 签到表.pdf（');
    expect(t.fake.uploads.map((u) => [u.fileName, u.fileType, u.bytes.equals(bytes)])).toEqual([['签到表.pdf', 'pdf', true]]);
    const fileReply = t.fake.sent('reply').find((m) => m.target === leader.messageId && m.msgType === 'file')!;
    expect(fileReply.content).toEqual({ file_key: t.fake.uploads[0]!.fileKey });
    // The leader may not attach: no session was opened for him.
    expect(leader.replies.join('\n')).not.toContain('10 分钟内');

    // 获取佐证文件 on a card sends them to the presser's private chat.
    const m = await t.measure('1.1.1');
    const msg = await cardFor('ou_secretary', '1.1.1');
    const byCard = await click('ou_secretary', msg, { action: 'evidence.send', measureId: m.id, version: m.version });
    expect(byCard.toast?.content).toBe('佐证文件将发送到您与整改督办助手的单聊');
    expect(t.fake.sent('create').some((x) => x.target === 'ou_secretary' && x.msgType === 'file')).toBe(true);
  });
});
