import { describe, expect, it } from 'vitest';
import { extractPercent, parseCommandDate } from '../../commands/args.js';
import { nearestCodes, normalizeCode } from '../../src/services/measure-lookup.js';
import { parseTextMessage } from '../../src/dispatch/message-text.js';
import { MessageReceiveSchema } from '../../src/dispatch/incoming-events.js';
import { messageEvent } from '../helpers/payloads.js';

describe('dates in commands', () => {
  const today = '2025-10-09';
  it.each([
    ['2025-03-31', '2025-03-31'],
    ['2025/3/31', '2025-03-31'],
    ['2025.3.31', '2025-03-31'],
    ['2025年3月31日', '2025-03-31'],
    ['１２月３１日', '2025-12-31'],
    ['12.31', '2025-12-31'],
    ['3月31日', '2026-03-31'], // already past this year: next year
    ['3.31', '2026-03-31'],
    ['10/9', '2025-10-09'],
  ])('%s is %s', (input, expected) => expect(parseCommandDate(input, today)).toBe(expected));

  it.each(['2025-02-30', '13月1日', '明天', '2025', '31.12'])('%s is refused', (input) => expect(parseCommandDate(input, today)).toBeUndefined());
});

describe('measure codes', () => {
  it.each([
    ['2.1.3', '2.1.3'],
    ['2-1-3', '2.1.3'],
    ['２.１.３', '2.1.3'],
    ['２．１．３', '2.1.3'],
    ['2、1、3', '2.1.3'],
    ['第2.1.3条', '2.1.3'],
  ])('%s is %s', (input, expected) => expect(normalizeCode(input)).toBe(expected));

  it('suggests codes that share a prefix first', () => {
    expect(nearestCodes('2.1.9', ['1.1.1', '2.1.1', '2.1.2', '3.1.9'])).toEqual(['2.1.1', '2.1.2', '3.1.9']);
  });
});

describe('report text', () => {
  it('takes a percentage from the end or the start, half or full width', () => {
    expect(extractPercent('完成方案 60%')).toEqual({ text: '完成方案', percent: 60 });
    expect(extractPercent('80％ 已整改')).toEqual({ text: '已整改', percent: 80 });
    expect(extractPercent('提高了 5% 的覆盖率，继续推进')).toEqual({ text: '提高了 5% 的覆盖率，继续推进' });
  });
});

describe('mention placeholders', () => {
  it('replaces @_user_1 and @_user_10 correctly and drops the bot', () => {
    const mentions = Array.from({ length: 10 }, (_, i) => ({ key: `@_user_${i + 1}`, openId: `ou_person${i + 1}`, name: `同事${i + 1}` }));
    mentions[0] = { key: '@_user_1', openId: 'ou_bot', name: '整改督办', type: 'bot' } as (typeof mentions)[number];
    const event = messageEvent({ text: '@_user_1 /assign 1.1.1 @_user_10', chatType: 'group', mentions });
    const parsed = parseTextMessage(MessageReceiveSchema.parse(event.event), 'ou_bot')!;
    expect(parsed.mentionsBot).toBe(true);
    expect(parsed.text).toBe('/assign 1.1.1 ou_person10');
  });
});
