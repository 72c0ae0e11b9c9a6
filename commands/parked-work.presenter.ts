import { PARKED_WORK_DAYS, type ParkedWork } from '../src/services/parked-work.js';
import type { Reply } from './types.js';

function when(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')}月${part('day')}日 ${part('hour')}:${part('minute')}`;
}

/** For administrators: work that was given up after its last attempt, with the references people were given. */
export function parkedWorkReply(work: ParkedWork, timeZone: string): Reply {
  const counts = [work.events > 0 ? `收到的事件 ${work.events} 项` : '', work.messages > 0 ? `待发送的消息 ${work.messages} 项` : '']
    .filter(Boolean)
    .join('，');
  const lines = work.latest.map((item, i) => `${i + 1}. ${when(item.at, timeZone)}｜${item.label}｜尝试 ${item.attempts} 次｜${item.reason}｜编号 ${item.ref}`);
  return {
    kind: 'text',
    text: [
      `【管理员】近 ${PARKED_WORK_DAYS} 天有 ${work.total} 项任务多次尝试仍未成功，已停止自动重试（${counts}）。最近 ${work.latest.length} 项：`,
      ...lines,
    ].join('\n'),
  };
}
