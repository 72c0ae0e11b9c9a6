import type { ServiceDeps } from '../src/deps.js';
import type { Actor, CampaignRow } from '../src/services/records.js';
import type { LedgerMeasure } from '../src/services/ledger-stats.js';
import { pageWindow } from '../cards/measure-list.card.js';
import {
  countMeasures,
  measuresDueWithin,
  measuresOfGroup,
  myMeasures,
  overdueMeasures,
  pageOfMeasures,
  type MeasureList,
} from '../src/services/measure-views.js';
import { VIEWERS } from '../src/services/measure-access.js';
import { listReply } from '../src/views/list.view.js';
import type { Reply } from './types.js';

/**
 * The paged measure lists, built the same way for a command and for a 上一页 / 下一页 click.
 * A click pages the list as its requester asked for it (see the card action), so a list shared
 * in a group chat does not turn into someone else's view.
 */
export type ListCommand = 'mine' | 'overdue' | 'due' | 'status';
export const LIST_COMMANDS: readonly ListCommand[] = ['mine', 'overdue', 'due', 'status'];

const overdueRow = (m: LedgerMeasure) => ({
  id: m.id,
  code: m.code,
  text: m.text,
  department: m.departmentName,
  ownerName: m.ownerName,
  countdownLabel: m.deadline.countdown,
  deadlineState: m.deadline.state,
  status: m.status,
});

/** Counts the list, then reads only the page shown. */
async function pageOf(deps: ServiceDeps, list: MeasureList, page: number) {
  const window = pageWindow(await countMeasures(deps, list), page);
  const measures = window.total === 0 ? [] : await pageOfMeasures(deps, list, window.offset, window.limit);
  return { page: window.page, pageCount: window.pageCount, total: window.total, measures };
}

export async function buildList(
  deps: ServiceDeps,
  actor: Actor,
  campaign: CampaignRow,
  command: ListCommand,
  filter: string | undefined,
  page = 1,
): Promise<Reply> {
  const base = { subtitle: campaign.name, command, filter, viewer: actor.openId };
  switch (command) {
    case 'mine':
      return listReply({
        ...base,
        ...(await pageOf(deps, myMeasures(deps, actor, campaign.id), page)),
        title: '我负责的整改措施',
        emptyText: '您目前没有负责的整改措施。',
      });
    case 'overdue':
      return listReply({
        ...base,
        ...(await pageOf(deps, overdueMeasures(deps, actor, campaign.id), page)),
        title: '逾期整改措施',
        emptyText: '目前没有逾期的措施。',
        rowOf: overdueRow,
      });
    case 'due': {
      const days = Number(filter ?? 7) || 7;
      const onlyMine = !VIEWERS.some((r) => actor.roles.has(r));
      return listReply({
        ...base,
        ...(await pageOf(deps, measuresDueWithin(deps, actor, campaign.id, days, onlyMine), page)),
        filter: String(days),
        title: `${days} 天内到期的措施`,
        subtitle: onlyMine ? '仅显示我负责的措施' : campaign.name,
        emptyText: `${days} 天内没有到期的措施。`,
      });
    }
    case 'status': {
      const group = await measuresOfGroup(deps, campaign.id, filter ?? '');
      return listReply({ ...base, ...(await pageOf(deps, group, page)), title: `${group.title} 的整改措施`, emptyText: '暂无措施。' });
    }
  }
}
