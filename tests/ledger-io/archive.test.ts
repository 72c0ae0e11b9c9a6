import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertEvidence, type NewEvidence } from '../../db/queries/evidence.js';
import { exportArchiveCommand } from '../../commands/export.command.js';
import type { CommandContext } from '../../commands/types.js';
import { rechecks } from '../../db/schema.js';
import { measureFolderName, safeName, uniqueNamer } from '../../src/ledger-io/archive.js';
import { buildLedgerWorkbook } from '../../src/ledger-io/export-xlsx.js';
import { writeArchiveZip } from '../../src/runtime/archive-zip.node.js';
import { evidenceDirOf } from '../../src/entry.node.js';
import { prepareArchive } from '../../src/services/archive.service.js';
import { loadLedgerView } from '../../src/services/ledger-export.service.js';
import { say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, tempDir, type TestService } from '../helpers/harness.js';
import { createFixedClock } from '../../src/clock.js';
import { seedLedger, type SeededLedger } from '../helpers/seed-ledger.js';

const NOW = '2025-10-09T02:00:00.000Z';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const LONG_TEXT = '完善公务接待审批制度，规范接待标准：明确陪同人数和用餐标准，杜绝超标准接待';

describe('the evidence archive', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  let seeded: SeededLedger;
  const out = tempDir('duban-archive-');

  /** Keeps a file as the evidence service does (in the store, by hash) and records it. */
  async function addFile(code: string, name: string, bytes: Uint8Array, extra: Partial<NewEvidence> = {}) {
    const hash = sha256(bytes);
    const key = await svc.deps.evidenceStore!.put(bytes, { sha256: hash, name, mime: 'application/pdf' });
    return insertEvidence(svc.deps.db, {
      campaignId: seeded.campaignId,
      measureId: seeded.measures[code]!,
      kind: 'file',
      name,
      size: bytes.byteLength,
      mime: 'application/pdf',
      sha256: hash,
      storage: 'local',
      storageKey: key,
      messageId: `om_${hash.slice(0, 8)}`,
      fileKey: `file_${hash.slice(0, 8)}`,
      url: null,
      source: 'session',
      addedByPersonId: seeded.people.wang!.id,
      addedByName: '王芳',
      addedByOpenId: 'ou_wang',
      addedAt: NOW,
      ...extra,
    });
  }

  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock: createFixedClock(NOW) });
    seeded = await seedLedger(svc.deps.db, {
      departments: ['办公室', '财务科'],
      people: [
        { key: 'sec', name: '整改办李明', roles: ['secretary'] },
        { key: 'wang', name: '王芳', department: '办公室', roles: ['owner'] },
      ],
      measures: [
        {
          code: '1.1.1',
          text: LONG_TEXT,
          department: '办公室',
          owner: 'wang',
          status: 'closed',
          verifiedAt: '2025-04-05T02:00:00.000Z',
          reports: [{ at: '2025-03-10T02:00:00Z', text: '已起草制度' }],
        },
        { code: '1.1.2', text: '清理办公用房: 超标部分*全部*腾退?', department: '办公室', owner: 'wang', due: '2025-12-31' },
        { code: '2.1.1', text: '规范专项资金拨付流程', department: '财务科', due: '2025-12-31' },
      ],
    });
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('makes names safe for zip tools and Windows, and unique within a folder', () => {
    expect(safeName('a/b\\c:d*e?f"g<h>i|j.pdf')).toBe('a_b_c_d_e_f_g_h_i_j.pdf');
    expect(safeName('纪要。 ')).toBe('纪要。');
    expect(safeName('报告...')).toBe('报告');
    expect(safeName('CON.txt')).toBe('_CON.txt');
    expect(safeName('..')).toBe('_');
    expect(measureFolderName('1.1.1', LONG_TEXT)).toBe('1.1.1 完善公务接待审批制度，规范接待标准：明确');
    expect(measureFolderName('1.1.2', '清理办公用房: 超标部分*全部*腾退?')).toBe('1.1.2 清理办公用房_ 超标部分_全部_腾退_');
    const names = uniqueNamer(['措施情况.md']);
    expect(['纪要.pdf', '纪要.pdf', '纪要.PDF', '措施情况.md', 'a/b'].map(names)).toEqual([
      '纪要.pdf',
      '纪要 (2).pdf',
      '纪要 (3).PDF',
      '措施情况 (2).md',
      'a_b',
    ]);
  });

  it('writes the ledger and the notice at the top, one folder per measure with its files (hashes as stored) and 措施情况.md', async () => {
    const minutes = new TextEncoder().encode('会议纪要第一版');
    const minutes2 = new TextEncoder().encode('会议纪要第二版（不同内容，同名）');
    const photo = randomBytes(5000);
    await addFile('1.1.1', '会议纪要.pdf', minutes);
    await addFile('1.1.1', '会议纪要.pdf', minutes2);
    await addFile('1.1.1', '现场/照片:1.jpg', photo, { kind: 'image', mime: 'image/jpeg' });
    await insertEvidence(svc.deps.db, {
      campaignId: seeded.campaignId,
      measureId: seeded.measures['1.1.1']!,
      kind: 'file',
      name: '只存引用.docx',
      size: 1234,
      mime: null,
      sha256: 'ab'.repeat(32),
      storage: 'feishu_ref',
      storageKey: null,
      messageId: 'om_ref_only',
      fileKey: 'file_ref_only',
      url: null,
      source: 'session',
      addedByPersonId: null,
      addedByName: '王芳',
      addedByOpenId: 'ou_wang',
      addedAt: NOW,
    });
    await insertEvidence(svc.deps.db, {
      campaignId: seeded.campaignId,
      measureId: seeded.measures['1.1.1']!,
      kind: 'link',
      name: '制度文件',
      size: null,
      mime: null,
      sha256: null,
      storage: null,
      storageKey: null,
      messageId: null,
      fileKey: null,
      url: 'https://example.gov.cn/zhidu/2025-1.html',
      source: 'report',
      addedByPersonId: null,
      addedByName: '王芳',
      addedByOpenId: 'ou_wang',
      addedAt: NOW,
    });
    await svc.deps.db.insert(rechecks).values({
      measureId: seeded.measures['1.1.1']!,
      closedAt: '2025-04-05T02:00:00.000Z',
      dueDate: '2025-10-09',
      notifiedOn: '2025-10-09',
      outcome: 'held',
      answeredBy: 'ou_wang',
      answeredByName: '王芳',
      answeredAt: NOW,
      createdAt: NOW,
    });

    const prepared = await prepareArchive(svc.deps);
    // Stored files reach the writer as references to stream, never as bytes read here.
    expect(prepared.entries.filter((e) => 'stored' in e).map((e) => e.path)).toHaveLength(3);
    expect(prepared).toMatchObject({ measures: 3, files: 3, referenceOnly: 1 });
    const file = join(out.path, '整改档案.zip');
    const outcome = await writeArchiveZip(prepared.entries, createWriteStream(file), { evidenceDir: evidenceDirOf(svc.config) });
    expect(outcome.missing).toEqual([]);

    const zip = await JSZip.loadAsync(readFileSync(file));
    const paths = Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.name);
    const folder = '1.1.1 完善公务接待审批制度，规范接待标准：明确';
    expect(paths).toEqual([
      '市委第二巡察组反馈意见整改-整改台账-2025-10-09.xlsx',
      '市委第二巡察组反馈意见整改-整改进展情况-2025-10-09.docx',
      `${folder}/措施情况.md`,
      `${folder}/会议纪要.pdf`,
      `${folder}/会议纪要 (2).pdf`,
      `${folder}/现场_照片_1.jpg`,
      '1.1.2 清理办公用房_ 超标部分_全部_腾退_/措施情况.md',
      '2.1.1 规范专项资金拨付流程/措施情况.md',
    ]);
    const hashOf = async (p: string) => sha256(await zip.file(p)!.async('uint8array'));
    expect(await hashOf(`${folder}/会议纪要.pdf`)).toBe(sha256(minutes));
    expect(await hashOf(`${folder}/会议纪要 (2).pdf`)).toBe(sha256(minutes2));
    expect(await hashOf(`${folder}/现场_照片_1.jpg`)).toBe(sha256(photo));

    const record = await zip.file(`${folder}/措施情况.md`)!.async('string');
    expect(record).toContain(`**整改措施**：${LONG_TEXT}`);
    expect(record).toContain('**责任人**：王芳');
    expect(record).toContain('已起草制度');
    expect(record).toContain('成效巩固（王芳，2025-10-09 10:00）');
    for (const h of [minutes, minutes2, photo]) expect(record).toContain(sha256(h));
    expect(record).toContain('| 会议纪要.pdf | 文件 |');
    expect(record).toContain('会议纪要 (2).pdf |');
    expect(record).toContain('未包含：仅存引用，文件仍在飞书中（消息 om_ref_only，文件 file_ref_only）');
    expect(record).toContain('https://example.gov.cn/zhidu/2025-1.html');
    // A measure with no evidence still has its folder and record.
    const none = await zip.file('2.1.1 规范专项资金拨付流程/措施情况.md')!.async('string');
    expect(none).toMatch(/## 佐证材料\n\n（无）/);
  });

  it('names the evidence (count and names) in the exported ledger', async () => {
    await addFile('1.1.1', '会议纪要.pdf', new TextEncoder().encode('a'));
    await addFile('1.1.1', '制度.pdf', new TextEncoder().encode('b'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildLedgerWorkbook(await loadLedgerView(svc.deps))) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = ws.getRow(2).values as unknown[];
    const column = header.indexOf('佐证材料');
    expect(column).toBeGreaterThan(0);
    const cellOf = (code: string) => {
      for (let r = 3; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === code) return ws.getRow(r).getCell(column).value;
      return undefined;
    };
    expect(cellOf('1.1.1')).toBe('2 份：会议纪要.pdf、制度.pdf');
    expect(cellOf('2.1.1')).toBeNull();
  });

  it('/export archive sends a small archive as a file in chat', async () => {
    const bytes = new TextEncoder().encode('佐证');
    await addFile('1.1.1', '纪要.pdf', bytes);
    const c = await say(svc, fake, 'ou_sec', '/export archive');
    expect(c.replies[0]).toContain('整改档案（截至2025-10-09，共3条措施、1份佐证文件）');
    expect(fake.sent('reply').filter((m) => m.target === c.messageId && m.msgType === 'file')).toHaveLength(1);
    const upload = fake.uploads.at(-1)!;
    expect(upload.fileName).toBe('市委第二巡察组反馈意见整改-整改档案-2025-10-09.zip');
    const zip = await JSZip.loadAsync(upload.bytes);
    expect(sha256(await zip.file('1.1.1 完善公务接待审批制度，规范接待标准：明确/纪要.pdf')!.async('uint8array'))).toBe(sha256(bytes));
    // Owners may not export.
    expect((await say(svc, fake, 'ou_wang', '导出档案')).replies.join()).not.toContain('整改档案（');
  });

  it('/export archive says an archive over the chat file limit is too large, and how to get it on the server', async () => {
    // Random bytes do not compress: the zip is over 30 MB.
    await addFile('1.1.1', '现场录像.mp4', randomBytes(31 * 1024 * 1024));
    const uploads = fake.uploads.length;
    const c = await say(svc, fake, 'ou_sec', '导出档案');
    expect(c.replies.join('\n')).toContain('超过 30 MB，超出飞书聊天文件的上限，无法在聊天中发送。请在服务器上运行 npm run export -- --archive 整改档案.zip');
    expect(fake.uploads.length).toBe(uploads);
  });
});

describe('/export archive on Workers', () => {
  it('says archives are made on the Node server', async () => {
    const ctx = { upload: async () => 'file_x' } as unknown as CommandContext;
    const reply = await exportArchiveCommand.run(ctx, undefined);
    expect(reply).toEqual({
      kind: 'text',
      text: expect.stringContaining('只能在 Node 服务器上生成，请在服务器上运行 npm run export -- --archive 整改档案.zip'),
    });
  });
});
