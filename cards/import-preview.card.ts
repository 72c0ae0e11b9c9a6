/** Shown to the secretary after a ledger upload: what would be imported, 确认导入 / 取消. */
import { IMPORT_CANCEL, IMPORT_CONFIRM } from './actions.js';
import { bold, button, card, colored, confirmedAction, fields, hr, markdown, md, note, joinMarkup, type Card, type CardElement } from './elements.js';
import { excerpt } from './escape.js';
import type { ImportIssue, ImportPreviewView } from './views.js';

/** How many warnings and errors the card lists; the rest are counted. */
export const IMPORT_ISSUES_SHOWN = 10;

export function importPreviewCard(view: ImportPreviewView): Card {
  const c = view.counts;
  const elements: CardElement[] = [
    markdown(view.layout ? md`${bold('文件')}：${view.fileName}（识别为${view.layout}）` : md`${bold('文件')}：${view.fileName}`),
    ...fields([
      ['问题类别', c.categories],
      ['问题', c.problems],
      ['整改措施', c.measures],
      ['责任部门', c.departments],
    ]),
  ];
  if (c.created !== undefined || c.updated !== undefined) {
    elements.push(
      markdown(
        joinMarkup(
          [
            c.created !== undefined ? md`新增 ${c.created}` : null,
            c.updated !== undefined ? md`更新 ${c.updated}` : null,
            c.unchanged !== undefined ? md`不变 ${c.unchanged}` : null,
            c.missing ? md`${colored(`本次缺少 ${c.missing}`, 'orange')}` : null,
          ],
          ' · ',
        ),
      ),
    );
  }
  elements.push(...issueList('错误', view.errors, view.errorCount, 'red'));
  elements.push(...issueList('提醒', view.warnings, view.warningCount, 'orange'));
  elements.push(hr());
  elements.push(...footer(view));
  const template = view.status === 'confirmed' ? 'green' : view.status === 'cancelled' ? 'grey' : view.errorCount > 0 ? 'red' : 'blue';
  return card({ title: '导入预览', subtitle: view.campaignName ?? undefined, template, elements });
}

function issueList(label: string, issues: ImportIssue[], count: number, color: string): CardElement[] {
  if (count === 0) return [];
  const shown = issues.slice(0, IMPORT_ISSUES_SHOWN);
  const lines = shown.map((i) => (i.row === null ? md`· ${excerpt(i.message, 80)}` : md`· 第 ${i.row} 行：${excerpt(i.message, 80)}`));
  const more = count > shown.length ? md`…… 另有 ${count - shown.length} 条` : null;
  return [markdown(joinMarkup([md`${colored(`${label} ${count} 条`, color)}`, ...lines, more], '\n'))];
}

function footer(view: ImportPreviewView): CardElement[] {
  if (view.status === 'confirmed') return [note('已确认导入')];
  if (view.status === 'cancelled') return [note('已取消本次导入')];
  const hint = view.canConfirm ? '确认后将写入整改台账。' : '请修正错误后重新上传台账。';
  return [
    note(hint),
    confirmedAction({
      name: `import_confirm_${view.importId}`,
      label: '确认导入',
      type: 'primary_filled',
      disabled: !view.canConfirm,
      value: { action: IMPORT_CONFIRM, importId: view.importId },
      confirm: { title: '确认导入', text: `确认导入 ${view.counts.measures} 项整改措施？` },
    }),
    button({ label: '取消导入', value: { action: IMPORT_CANCEL, importId: view.importId } }),
  ];
}
