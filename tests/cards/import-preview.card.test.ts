import { describe, expect, it } from 'vitest';
import { IMPORT_CANCEL, IMPORT_CONFIRM } from '../../cards/actions.js';
import { importPreviewCard } from '../../cards/import-preview.card.js';
import { sampleImport } from '../../scripts/card-samples.js';
import { checkCollectedCards, collectCard, snapshotCardSamples } from '../helpers/card-collector.js';
import { buttons, findAll } from '../helpers/card-query.js';

describe('import preview card', () => {
  snapshotCardSamples('import-preview');

  it('offers 确认导入 and 取消导入 with the pending import id', () => {
    const card = collectCard('ready', importPreviewCard(sampleImport()));
    expect(buttons(card).map((b) => [b.label, b.value, b.node.disabled ?? false])).toEqual([
      ['确认导入', { action: IMPORT_CONFIRM, importId: 3 }, false],
      ['取消导入', { action: IMPORT_CANCEL, importId: 3 }, false],
    ]);
    // 确认导入 asks first, which only a form's submit button can do; 取消导入 changes nothing
    const [confirm, cancel] = buttons(card);
    expect(confirm!.node.form_action_type).toBe('submit');
    expect(confirm!.confirm).toMatchObject({ title: { content: '确认导入' } });
    expect(findAll(findAll(card, 'form')[0], 'button')).toEqual([confirm!.node]);
    expect(cancel!.confirm).toBeUndefined();
  });

  it('disables 确认导入 when errors block the import, and lists the first errors', () => {
    const errors = Array.from({ length: 14 }, (_, i) => ({ row: i + 3, message: `缺少编号${i}` }));
    const card = collectCard('errors', importPreviewCard(sampleImport({ errors, errorCount: 14, canConfirm: false })));
    expect(buttons(card)[0]!.node.disabled).toBe(true);
    const text = JSON.stringify(card);
    expect(text).toContain('第 3 行：缺少编号0');
    expect(text).toContain('第 12 行：缺少编号9');
    expect(text).not.toContain('缺少编号10');
    expect(text).toContain('另有 4 条');
    expect(card.header.template).toBe('red');
  });

  it('names the layout it recognised beside the file', () => {
    const text = JSON.stringify(collectCard('layout', importPreviewCard(sampleImport({ layout: '编号文本' }))));
    expect(text).toContain('ledger.xlsx（识别为编号文本）');
  });

  it('has no buttons once confirmed or cancelled', () => {
    expect(buttons(collectCard('confirmed', importPreviewCard(sampleImport({ status: 'confirmed' }))))).toEqual([]);
    expect(buttons(collectCard('cancelled', importPreviewCard(sampleImport({ status: 'cancelled' }))))).toEqual([]);
  });
});

checkCollectedCards();
