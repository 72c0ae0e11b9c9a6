/** /status: totals, completion rate, overdue and due-soon counts, per-department table. */
import { LIST_PAGE } from './actions.js';
import { bold, button, buttonRow, card, colored, fields, markdown, md, note, table, type Card, type CardElement } from './elements.js';
import { DEADLINE_KIND_LABELS, STATUS_LABELS } from '../src/domain/labels.js';
import type { StatusView } from './views.js';

/** /status 时限待定 lists them (measuresOfGroup reads the same label). */
const UNSET_LIST = DEADLINE_KIND_LABELS.unset;

/** The table pages itself in the client; the cap only bounds the card size. */
const MAX_DEPARTMENT_ROWS = 100;

export function statusCard(view: StatusView): Card {
  const s = view.byStatus;
  const unset: Array<[string, ReturnType<typeof colored>]> = view.unset > 0 ? [[UNSET_LIST, colored(String(view.unset), 'orange')]] : [];
  const elements: CardElement[] = [
    markdown(
      md`${bold('完成率')} ${colored(`${view.completionRate}%`, view.completionRate >= 100 ? 'green' : 'blue')}（${STATUS_LABELS.closed} ${s.closed} / 共 ${view.total} 项）`,
    ),
    ...fields([
      ['已逾期', colored(String(view.overdue), view.overdue > 0 ? 'red' : 'green')],
      [`${view.dueSoonDays} 日内到期`, colored(String(view.dueSoon), view.dueSoon > 0 ? 'orange' : 'green')],
      [STATUS_LABELS.in_progress, s.in_progress],
      [STATUS_LABELS.submitted, s.submitted],
      [STATUS_LABELS.not_started, s.not_started],
      [STATUS_LABELS.returned, s.returned],
      ...unset,
    ]),
  ];
  const departments = view.departments.slice(0, MAX_DEPARTMENT_ROWS);
  if (departments.length > 0) {
    elements.push(
      table(
        [
          { name: 'department', label: '责任部门', type: 'text' },
          { name: 'total', label: '总数', type: 'number' },
          { name: 'closed', label: STATUS_LABELS.closed, type: 'number' },
          { name: 'submitted', label: STATUS_LABELS.submitted, type: 'number' },
          { name: 'overdue', label: '逾期', type: 'number' },
          { name: 'rate', label: '完成率', type: 'text' },
        ],
        departments.map((d) => ({
          department: d.department,
          total: d.total,
          closed: d.closed,
          submitted: d.submitted,
          overdue: d.overdue,
          rate: `${d.completionRate}%`,
        })),
      ),
    );
  }
  if (view.departments.length > departments.length) {
    elements.push(note(`另有 ${view.departments.length - departments.length} 个部门未列出，可发送“进度 部门名”查看`));
  }
  const buttons: CardElement[] = [];
  if (view.overdue > 0) buttons.push(button({ label: '查看逾期', value: { action: LIST_PAGE, command: 'overdue', page: 1 }, type: 'danger' }));
  if (view.dueSoon > 0) buttons.push(button({ label: '查看临期', value: { action: LIST_PAGE, command: 'due', page: 1 } }));
  if (view.unset > 0) buttons.push(button({ label: '查看时限待定', value: { action: LIST_PAGE, command: 'status', filter: UNSET_LIST, page: 1 } }));
  if (buttons.length > 0) elements.push(buttonRow(buttons));
  if (view.asOf) elements.push(note(view.asOf));
  const template = view.overdue > 0 ? 'red' : view.dueSoon > 0 ? 'orange' : 'blue';
  return card({ title: '整改进度统计', subtitle: view.campaignName, template, elements });
}
