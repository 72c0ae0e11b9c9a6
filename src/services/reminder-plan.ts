import type { WorkCalendar } from './calendar.js';
import type { LedgerMeasure } from './ledger-stats.js';

/**
 * Who needs to hear what today. Pure: ledger measures in, reminder items out. Items that may go
 * out only once (an ongoing measure's check-in per period, an escalation per due date) carry a
 * `onceKey`; the job decides them against the database before grouping.
 */

export type ReminderKind = 'due_soon' | 'due_today' | 'overdue' | 'checkin' | 'escalation';

export interface ReminderRules {
  /** working days before the due date at which owners hear about it, e.g. [7, 3, 1] */
  leadDays: number[];
  /** escalate to the leader and the secretary once overdue this many working days */
  escalateAfterDays: number;
}

export interface ReminderItem {
  kind: ReminderKind;
  measureId: number;
  campaignId: number;
  code: string;
  text: string;
  department: string | null;
  ownerName: string | null;
  dueDate: string | null;
  /** the countdown as cards show it (还剩 3 个工作日, 已逾期 5 天, 长期坚持 · 下次汇报 …) */
  countdown: string;
  daysOverdue: number;
  /** who gets it: owner open_id, or for escalations the leader's (secretaries are added later) */
  recipientOpenId: string | null;
  recipientName: string | null;
  onceKey?: string;
}

export interface Recipient {
  openId: string;
  name: string | null;
}

export interface ReminderDigestData {
  recipient: Recipient;
  dueToday: ReminderItem[];
  overdue: ReminderItem[];
  dueSoon: ReminderItem[];
  checkins: ReminderItem[];
  escalations: ReminderItem[];
}

const isOpen = (m: LedgerMeasure) => m.status !== 'closed' && m.status !== 'submitted';

/** The items due on `day` for open measures; `day` should be a working day. */
export function planReminderItems(measures: LedgerMeasure[], day: string, rules: ReminderRules, calendar: WorkCalendar): ReminderItem[] {
  const leads = new Set(rules.leadDays);
  const checkinWithin = Math.max(...rules.leadDays);
  const items: ReminderItem[] = [];
  for (const m of measures) {
    if (!isOpen(m)) continue;
    const d = m.deadline;
    const base = {
      measureId: m.id,
      campaignId: m.campaignId,
      code: m.code,
      text: m.text,
      department: m.departmentName,
      ownerName: m.ownerName,
      dueDate: m.dueDate,
      countdown: d.countdown,
      daysOverdue: d.daysOverdue,
    };
    const toOwner = { recipientOpenId: m.ownerOpenId, recipientName: m.ownerName };
    switch (d.timing) {
      case 'due_soon':
      case 'on_track':
        if (d.workingDaysLeft !== null && leads.has(d.workingDaysLeft)) items.push({ ...base, ...toOwner, kind: 'due_soon' });
        break;
      case 'due_today':
        items.push({ ...base, ...toOwner, kind: 'due_today' });
        break;
      case 'overdue':
        items.push({ ...base, ...toOwner, kind: 'overdue' });
        if (d.workingDaysOverdue >= rules.escalateAfterDays) {
          items.push({
            ...base,
            kind: 'escalation',
            recipientOpenId: m.leaderOpenId,
            recipientName: m.leaderName,
            onceKey: `escalated:${m.id}:${m.dueDate}`,
          });
        }
        break;
      case 'ongoing': {
        const p = d.reportPeriod!;
        if (!d.reportedThisPeriod && calendar.workingDaysBetween(day, p.dueDate) <= checkinWithin) {
          items.push({ ...base, ...toOwner, kind: 'checkin', onceKey: `checkin:${m.id}:${p.key}` });
        }
        break;
      }
      default:
        break;
    }
  }
  return items;
}

/**
 * One digest per person: their own items plus escalations (to the measure's leader and to every
 * secretary). Items whose recipient has no open_id are returned as unreachable.
 */
export function groupReminderDigests(items: ReminderItem[], secretaries: Recipient[]): { digests: ReminderDigestData[]; unreachable: ReminderItem[] } {
  const digests = new Map<string, ReminderDigestData>();
  const unreachable: ReminderItem[] = [];
  const digestFor = (r: Recipient) => {
    let d = digests.get(r.openId);
    if (!d) {
      d = { recipient: r, dueToday: [], overdue: [], dueSoon: [], checkins: [], escalations: [] };
      digests.set(r.openId, d);
    }
    if (!d.recipient.name && r.name) d.recipient = r;
    return d;
  };
  const section = { due_today: 'dueToday', overdue: 'overdue', due_soon: 'dueSoon', checkin: 'checkins', escalation: 'escalations' } as const;
  for (const item of items) {
    const targets: Recipient[] = [];
    if (item.recipientOpenId) targets.push({ openId: item.recipientOpenId, name: item.recipientName });
    if (item.kind === 'escalation') targets.push(...secretaries);
    if (targets.length === 0) {
      unreachable.push(item);
      continue;
    }
    const seen = new Set<string>();
    for (const t of targets) {
      if (seen.has(t.openId)) continue;
      seen.add(t.openId);
      digestFor(t)[section[item.kind]].push(item);
    }
  }
  const byUrgency = (a: ReminderItem, b: ReminderItem) => b.daysOverdue - a.daysOverdue || (a.dueDate ?? '').localeCompare(b.dueDate ?? '');
  for (const d of digests.values()) for (const k of Object.values(section)) d[k].sort(byUrgency);
  return { digests: [...digests.values()].sort((a, b) => a.recipient.openId.localeCompare(b.recipient.openId)), unreachable };
}
