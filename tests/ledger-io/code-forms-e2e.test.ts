import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measures } from '../../db/schema.js';
import { say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { ledgerChat, SECRETARY, seedImportPeople } from '../helpers/ledger-chat.js';
import { storedCode, writtenForm } from '../helpers/measure-codes.js';
import { LEDGER_HEADER } from './ledger-files.js';

/**
 * A code is one thing at every door: whatever form a ledger file writes it in, the measure is
 * stored under its normal form and found when a person types the code in any form in chat.
 */
describe('measure codes from file to chat', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake });
    await seedImportPeople(svc);
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('finds every measure of an imported file by any written form of its code', async () => {
    // Distinct three-level codes, each written in a file form, and two more forms to type in chat
    // (a chat word has no spaces: the command takes the first word as the code).
    const codes = fc.sample(
      fc.uniqueArray(
        storedCode(3).filter((c) => c.split('.').length === 3),
        { minLength: 8, maxLength: 8 },
      ),
      { numRuns: 1, seed: 14 },
    )[0]!;
    const forms = codes.map((code, i) => ({
      code,
      inFile: fc.sample(writtenForm(code), { numRuns: 1, seed: 100 + i })[0]!,
      inChat: fc.sample(writtenForm(code, { spaces: false }), { numRuns: 1, seed: 200 + i }),
    }));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('整改台账');
    ws.addRow(LEDGER_HEADER);
    forms.forEach((f, i) => ws.addRow([f.inFile, '类别一', `问题${i + 1}`, `措施${i + 1}：建立台账并逐项落实`, '办公室', '2030年12月31日']));
    const chat = ledgerChat(svc, fake);
    const preview = await chat.sendFile('code-forms.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(preview, preview).toContain(`${forms.length}条整改措施`);
    expect(await chat.say('确认导入')).toContain(`新增${forms.length}条`);
    const stored = (await svc.deps.db.select({ code: measures.code, text: measures.text }).from(measures)).map((m) => m.code);
    expect(stored.sort()).toEqual(codes.sort());

    for (const [i, f] of forms.entries()) {
      for (const typed of [f.code, ...f.inChat]) {
        const { replies } = await say(svc, fake, SECRETARY, `/show ${typed}`);
        expect(replies.join('\n'), `/show ${typed} (${f.inFile} in the file)`).toContain(`措施${i + 1}：建立台账并逐项落实`);
      }
    }
  });
});
