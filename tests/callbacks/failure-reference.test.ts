import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { measureFieldNames } from '../../cards/actions.js';
import { measures, progressReports } from '../../db/schema.js';
import type { ErrorDescription, LogEntry } from '../../src/logger.js';
import { readable, say } from '../helpers/chat.js';
import { cardActionEvent, messageEvent } from '../helpers/payloads.js';
import { useSeededService } from '../helpers/seeded-service.js';

/**
 * An unexpected failure (here: the database refuses the progress report, after every permission
 * check passed) reaches the user as an apology with a short reference, and the operator finds
 * that same reference in the logged entry, with the error's stack and cause.
 */

const NOW = '2025-10-09T02:00:00.000Z';
const REF = /（编号 ([0-9A-Z]{6})）/;

describe('unexpected failures carry a reference the log can be searched for', () => {
  const t = useSeededService({ now: NOW });

  /** Makes every progress report fail inside SQLite, as a full disk or a broken file would. */
  function breakProgressReports() {
    const other = new Database(t.svc.databasePath);
    other.exec(`CREATE TRIGGER refuse_reports BEFORE INSERT ON progress_reports BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END;`);
    other.close();
  }
  const loggedErrors = (msg: string): LogEntry[] => t.svc.logEntries.filter((e) => e.level === 'error' && e.msg === msg);
  const reports = async (measureId: number) => t.svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, measureId));

  /** The logged description keeps the wrapper's stack and SQLite's own error as its cause. */
  function expectStackAndCause(error: unknown) {
    const d = error as ErrorDescription;
    expect(d.stack).toContain('at ');
    expect(d.cause).toMatchObject({ name: 'SqliteError', code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'simulated storage failure' });
    expect(d.cause!.stack).toContain('simulated storage failure');
  }

  it('a command: the apology quotes the reference of the logged failure', async () => {
    breakProgressReports();
    const event = messageEvent({ text: '/report 1.2.1 完成台账梳理 40%', openId: 'ou_wang', messageId: 'om_report_fails' });
    expect((await t.svc.post(event)).status).toBe(200);
    await t.svc.settle();
    const replies = t.fake.sent('reply').filter((m) => m.target === 'om_report_fails');
    expect(replies).toHaveLength(1);
    const shown = REF.exec(readable(replies[0]!))?.[1];
    expect(shown).toBeDefined();

    const [logged, ...more] = loggedErrors('command failed');
    expect(more).toEqual([]);
    expect(logged!.fields).toMatchObject({ command: 'report', ref: shown, eventId: event.header.event_id });
    expectStackAndCause(logged!.fields.error);
    expect(await reports(t.ledger.measures['1.2.1']!)).toEqual([]);
  });

  it('a card button: the error toast quotes the reference of the logged failure', async () => {
    const [m] = await t.svc.deps.db.select().from(measures).where(eq(measures.id, t.ledger.measures['1.2.1']!));
    const shown = await say(t.svc, t.fake, 'ou_wang', '/show 1.2.1');
    const card = t.fake.sent('reply').find((x) => x.target === shown.messageId && x.msgType === 'interactive')!;
    breakProgressReports();

    const names = measureFieldNames(m!.id);
    const click = cardActionEvent({
      openId: 'ou_wang',
      messageId: card.messageId,
      value: { action: 'measure.report', measureId: m!.id, version: m!.version },
      formValue: { [names.reportText]: '完成台账梳理' },
    });
    const res = await t.svc.post(click);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { toast?: { type: string; content: string } };
    expect(answer.toast?.type).toBe('error');
    const ref = REF.exec(answer.toast!.content)?.[1];
    expect(ref).toBeDefined();

    const [logged, ...more] = loggedErrors('card action failed');
    expect(more).toEqual([]);
    expect(logged!.fields).toMatchObject({ ref, eventId: click.header.event_id });
    expectStackAndCause(logged!.fields.error);
    expect(await reports(m!.id)).toEqual([]);
  });
});
