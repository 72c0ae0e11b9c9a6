import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractPercent } from '../../commands/args.js';
import { chineseNumber, readPercent } from '../../src/domain/number-words.js';

// An independent writer of Chinese numerals, the way people write them (一百零五, 一百一十五).
const DIGIT = '零一二三四五六七八九';
function written(n: number): string {
  const d = (k: number) => DIGIT[k]!;
  if (n < 10) return d(n);
  if (n < 20) return `十${n % 10 ? d(n % 10) : ''}`;
  if (n < 100) return `${d(Math.floor(n / 10))}十${n % 10 ? d(n % 10) : ''}`;
  const rest = n % 100;
  const tail = rest === 0 ? '' : rest < 10 ? `零${d(rest)}` : `${d(Math.floor(rest / 10))}十${rest % 10 ? d(rest % 10) : ''}`;
  return `${d(Math.floor(n / 100))}百${tail}`;
}
const fullWidth = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace('%', '％');

describe('number words', () => {
  it('reads every number from 0 to 999 written in Chinese numerals or digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), (n) => {
        expect(chineseNumber(written(n))).toBe(n);
        expect(chineseNumber(String(n))).toBe(n);
      }),
    );
    expect(chineseNumber('百')).toBe(100);
    expect(chineseNumber('一百五')).toBe(150);
    expect(chineseNumber('两百')).toBe(200);
    expect(chineseNumber('四十三')).toBe(43);
  });

  it.each(['', '十十', '一二', '百百', '三千', 'abc', '五点五'])('refuses “%s”', (s) => expect(chineseNumber(s)).toBeUndefined());
});

describe('completion percentages', () => {
  it('reads 0–100 written as 60%, ６０％, 60 %, 百分之六十 and 六成', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (n) => {
        for (const token of [`${n}%`, fullWidth(`${n}%`), `${n} %`, `${n}％`, `百分之${written(n)}`]) {
          expect(readPercent(token), token).toEqual({ ok: true, value: n });
        }
      }),
    );
    expect(readPercent('百分之百')).toEqual({ ok: true, value: 100 });
    expect(readPercent('六成')).toEqual({ ok: true, value: 60 });
    expect(readPercent('六成五')).toEqual({ ok: true, value: 65 });
    expect(readPercent('十成')).toEqual({ ok: true, value: 100 });
  });

  it('refuses, never reads as something else, what breaks the rule: negative, decimal, above 100', () => {
    const bad = fc.oneof(
      fc.integer({ min: 101, max: 999 }).map((n) => `${n}%`),
      fc.integer({ min: 101, max: 999 }).map((n) => `百分之${written(n)}`),
      fc.integer({ min: 1, max: 100 }).map((n) => `-${n}%`),
      fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 9 })).map(([a, b]) => `${a}.${b}%`),
      fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 9 })).map(([a, b]) => fullWidth(`${a}.${b}%`)),
    );
    fc.assert(
      fc.property(bad, (token) => {
        expect(readPercent(token)).toEqual({ ok: false, written: token });
      }),
    );
    for (const token of ['-20%', '50.5%', '150%', '负百分之二十', '百分之八十点五', '百分之一百五十']) expect(readPercent(token)?.ok, token).toBe(false);
  });

  it('is not fooled by text that merely contains digits', () => {
    for (const s of ['2025年', '60', '第六', '成功']) expect(readPercent(s)).toBeUndefined();
  });
});

describe('the percentage of a report', () => {
  const plain = fc
    .string({ unit: fc.constantFrom(...'整改推进已完成方案会议材料 ，。abc123'), minLength: 1, maxLength: 30 })
    .filter((s) => /[^\s，。]$/.test(s.trim()) && !/\d$/.test(s.trim()));

  it('takes a valid percentage off the end of any report, in every accepted form', () => {
    fc.assert(
      fc.property(plain, fc.integer({ min: 0, max: 100 }), fc.constantFrom('%', '％', ' %'), (text, n, sign) => {
        const r = extractPercent(`${text} ${n}${sign}`);
        expect(r.percent).toBe(n);
        expect(r.invalidPercent).toBeUndefined();
        expect(r.text).toBe(text.trim().replace(/[\s，,；;：:、]+$/, ''));
      }),
    );
    expect(extractPercent('完成方案 ５０％')).toEqual({ text: '完成方案', percent: 50 });
    expect(extractPercent('已完成百分之八十')).toEqual({ text: '已完成', percent: 80 });
    expect(extractPercent('整改进度六成')).toEqual({ text: '整改进度', percent: 60 });
    expect(extractPercent('全部完成，百分之百')).toEqual({ text: '全部完成', percent: 100 });
    expect(extractPercent('80％ 已整改')).toEqual({ text: '已整改', percent: 80 });
  });

  it('flags a percentage that breaks the rule instead of keeping it as text', () => {
    expect(extractPercent('做完了 -20%')).toEqual({ text: '做完了', invalidPercent: '-20%' });
    expect(extractPercent('做完了 50.5%')).toEqual({ text: '做完了', invalidPercent: '50.5%' });
    expect(extractPercent('做完了 150%')).toEqual({ text: '做完了', invalidPercent: '150%' });
  });

  it('leaves a percentage inside a sentence in the text', () => {
    expect(extractPercent('提高了 5% 的覆盖率，继续推进')).toEqual({ text: '提高了 5% 的覆盖率，继续推进' });
    expect(extractPercent('覆盖率提高到95%')).toEqual({ text: '覆盖率提高到95%' });
  });

  it('never throws and never yields a percentage outside 0–100, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = extractPercent(s);
        if (r.percent !== undefined) expect(Number.isInteger(r.percent) && r.percent >= 0 && r.percent <= 100).toBe(true);
      }),
    );
  });
});
