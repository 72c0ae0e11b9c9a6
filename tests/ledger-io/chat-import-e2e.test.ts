import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, measures, pendingImports, people } from '../../db/schema.js';
import { allMeasures } from '../../src/ledger-io/ledger.js';
import { parseLedgerFile } from '../../src/ledger-io/parse.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { messageEvent } from '../helpers/payloads.js';
import { ledgerChat, OWNER, SECRETARY, seedImportPeople } from '../helpers/ledger-chat.js';
import { fixture } from './fixtures.js';
import { EMPTY_DEADLINE_WARNING, layout } from './layout-fixtures.js';

describe('importing a ledger in chat', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  let chat: ReturnType<typeof ledgerChat>;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake });
    await seedImportPeople(svc);
    chat = ledgerChat(svc, fake);
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  const sendFile = (fileName: string, openId = SECRETARY, bytes = fixture(fileName)) => chat.sendFile(fileName, bytes, openId);
  const say = (text: string, openId = SECRETARY) => chat.say(text, openId);

  const measureCount = async () => (await svc.deps.db.select().from(measures)).length;

  it('previews a file from a secretary, writes nothing, and imports on /confirm-import', async () => {
    const preview = await sendFile('hulin-union-ledger.xlsx');
    expect(preview).toContain('整改任务：hulin-union-ledger（新建）');
    expect(preview).toContain('识别结果：5类问题，15个问题，43条整改措施');
    expect(preview).toContain('/confirm-import（确认导入）');
    expect(await measureCount()).toBe(0);
    const download = fake.requests.find((r) => r.path.includes('/resources/'))!;
    expect(download.query.type).toBe('file');

    const done = await say('确认导入');
    expect(done).toContain('新增43条');
    expect(done).toContain('已导入。');
    expect(await measureCount()).toBe(43);
    const audits = await svc.deps.db.select().from(auditLog);
    expect(audits).toHaveLength(43);
    expect(new Set(audits.map((a) => a.actor))).toEqual(new Set([SECRETARY]));
    expect((await svc.deps.db.select().from(pendingImports))[0]!.status).toBe('confirmed');

    // Nothing left to confirm; the same file again changes nothing.
    expect(await say('/confirm-import')).toContain('目前没有待确认的导入');
    expect(await sendFile('hulin-union-ledger.csv')).toContain('新增0条，更新0条，未变43条');
    expect(await say('/confirm-import')).toContain('未变43条');
    expect(await measureCount()).toBe(43);
  });

  it('shows the errors of a bad file and keeps nothing pending', async () => {
    const reply = await sendFile('bad-deadline.csv');
    expect(reply).toContain('第5行（J5单元格）：无法识别的整改时限“尽快”');
    expect(reply).toContain('本次未导入任何内容');
    expect(await svc.deps.db.select().from(pendingImports)).toEqual([]);
    expect(await say('/confirm-import')).toContain('目前没有待确认的导入');
    expect(await measureCount()).toBe(0);
  });

  it('cancels a pending import with 取消导入', async () => {
    await sendFile('plan-notice.md');
    expect(await say('取消导入')).toContain('已取消导入“plan-notice.md”');
    expect(await say('/confirm-import')).toContain('目前没有待确认的导入');
    expect(await measureCount()).toBe(0);
  });

  it('previews a ledger kept as Word tables with its counts and its empty deadline as 时限待定, and imports it as it is', async () => {
    const preview = await sendFile('word-table-ledger.docx', SECRETARY, layout('word-table-ledger.docx'));
    expect(preview).toContain('识别结果：2类问题，5个问题，10条整改措施');
    expect(preview).toContain('整改时限：限期完成5条，立行立改2条，长期坚持2条，时限待定1条');
    expect(preview).toContain(EMPTY_DEADLINE_WARNING);
    expect(preview).toContain('新增10条');
    expect(await say('/confirm-import')).toContain('已导入。');
    expect(await measureCount()).toBe(10);
  });

  it('names the supported formats when refusing another file type', async () => {
    const reply = await sendFile('ledger.pages', SECRETARY, new Uint8Array([1, 2, 3]));
    expect(reply).toContain('暂不支持“ledger.pages”这种文件');
    expect(reply).toContain('Excel（.xlsx、.xls）、.csv、Word（.docx、.doc）、文字版 PDF');
    expect(fake.requests.some((r) => r.path.includes('/resources/'))).toBe(false);
  });

  it('politely refuses files from people who are not secretaries, without downloading them', async () => {
    const reply = await sendFile('hulin-union-ledger.xlsx', OWNER);
    expect(reply).toContain('只有整改办');
    const stranger = await sendFile('hulin-union-ledger.xlsx', 'ou_stranger000000000000000000001');
    expect(stranger).toContain('只有整改办');
    expect(fake.requests.some((r) => r.path.includes('/resources/'))).toBe(false);
    expect(await say('/confirm-import', OWNER)).toContain('没有使用 /confirm-import 的权限');
  });

  it('resolves owners by mobile through the contact API when importing', async () => {
    fake.directory.set('13800000001', 'ou_zhangsan00000000000000000001');
    const preview = await sendFile('hard-ledger.xlsx');
    expect(preview).toContain('未匹配到飞书账号的责任人5人');
    const lookup = fake.requests.find((r) => r.path === '/open-apis/contact/v3/users/batch_get_id')!;
    expect(lookup.query.user_id_type).toBe('open_id');
    expect(lookup.body).toEqual({ emails: ['lisi@example.com'], mobiles: ['13800000001'] });
    await say('/confirm-import 样例任务');
    const m = (await svc.deps.db.select().from(measures).where(eq(measures.code, '1.1.1')))[0]!;
    const owner = (await svc.deps.db.select().from(people).where(eq(people.id, m.ownerPersonId!)))[0]!;
    expect(owner.openId).toBe('ou_zhangsan00000000000000000001');
  });

  it('/export uploads the 台账 and sends it as a file message', async () => {
    await sendFile('hulin-union-ledger.xlsx');
    await say('/confirm-import');
    const messageId = `om_export_1`;
    await svc.post(messageEvent({ text: '导出', openId: SECRETARY, messageId }));
    await svc.settle();
    expect(fake.uploads).toHaveLength(1);
    const upload = fake.uploads[0]!;
    expect(upload.fileType).toBe('stream'); // an .xlsx is not the XLS format the upload page means by `xls`
    expect(upload.fileName).toMatch(/^hulin-union-ledger-整改台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = fake.sent('reply').find((m) => m.target === messageId && m.msgType === 'file')!;
    expect(file.content).toEqual({ file_key: upload.fileKey });
    const exported = await parseLedgerFile('export.xlsx', new Uint8Array(upload.bytes), { referenceDate: '2024-09-14' });
    expect(allMeasures(exported)).toHaveLength(43);
    expect(await say('/export', OWNER)).toContain('没有使用 /export 的权限');
  });
});
