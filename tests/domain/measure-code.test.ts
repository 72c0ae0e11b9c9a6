import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOrderOf } from '../../db/schema.js';
import { compareMeasureCodes, normalizeMeasureCode } from '../../src/domain/measure-code.js';
import { storedCode, writtenForm } from '../helpers/measure-codes.js';

const sign = (n: number) => Math.sign(n);

describe('measure codes: one normal form for files and chat', () => {
  it('reads every written form of a code as the code', () => {
    fc.assert(
      fc.property(
        storedCode().chain((code) => fc.tuple(fc.constant(code), writtenForm(code))),
        ([code, written]) => normalizeMeasureCode(written) === code,
      ),
    );
  });

  it('reads two written forms of the same code alike, and of different codes differently', () => {
    const twoForms = fc.tuple(storedCode(), storedCode()).chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), writtenForm(a), writtenForm(b)));
    fc.assert(fc.property(twoForms, ([a, b, wa, wb]) => (normalizeMeasureCode(wa) === normalizeMeasureCode(wb)) === (a === b)));
  });

  it.each([
    ['第2.1.3条', '2.1.3'],
    ['２．１．３', '2.1.3'],
    ['2、1、3、', '2.1.3'],
    ['2-1-3', '2.1.3'],
    ['2 . 1 . 3', '2.1.3'],
    ['2.01', '2.01'],
    ['7', '7'],
  ])('%s is %s', (written, code) => expect(normalizeMeasureCode(written)).toBe(code));

  it.each(['', '第条', 'a.1', '2.1.3a', '二.一.三', '2.1;3', '1e3', '…'])('%s is not a code', (written) =>
    expect(normalizeMeasureCode(written)).toBeUndefined(),
  );
});

describe('measure codes: one order', () => {
  const anyCode = fc.oneof(storedCode(), fc.string({ maxLength: 8 }), fc.stringMatching(/^[0-9.]{0,8}$/));

  it('is a total order: antisymmetric, equal only for the same code, transitive', () => {
    fc.assert(
      fc.property(anyCode, anyCode, anyCode, (a, b, c) => {
        expect(sign(compareMeasureCodes(a, b)) === -sign(compareMeasureCodes(b, a))).toBe(true);
        expect(compareMeasureCodes(a, b) === 0).toBe(a === b);
        if (compareMeasureCodes(a, b) <= 0 && compareMeasureCodes(b, c) <= 0) expect(compareMeasureCodes(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('orders levels as numbers, a missing level first', () => {
    const levels = fc.array(fc.integer({ min: 0, max: 99_999 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(levels, levels, (a, b) => {
        let expected = 0;
        for (let i = 0; i < Math.max(a.length, b.length) && expected === 0; i++)
          expected = a[i] === undefined ? -1 : b[i] === undefined ? 1 : sign(a[i]! - b[i]!);
        expect(sign(compareMeasureCodes(a.join('.'), b.join('.')))).toBe(expected);
      }),
    );
    expect(['2.1.10', '2.1', '10.1', '2.1.9', '2.01', '2.1.1'].sort(compareMeasureCodes)).toEqual(['2.01', '2.1', '2.1.1', '2.1.9', '2.1.10', '10.1']);
  });

  it('orders written forms as it orders their codes', () => {
    const pair = fc.tuple(storedCode(), storedCode()).chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), writtenForm(a), writtenForm(b)));
    fc.assert(
      fc.property(
        pair,
        ([a, b, wa, wb]) => sign(compareMeasureCodes(normalizeMeasureCode(wa)!, normalizeMeasureCode(wb)!)) === sign(compareMeasureCodes(a, b)),
      ),
    );
  });

  it('is the order SQL lists use (codeOrderOf)', () => {
    const table = sqliteTable('codes', { code: text('code').notNull() });
    const sqlite = new Database(':memory:');
    sqlite.exec('create table codes (code text not null)');
    const db = drizzle(sqlite);
    fc.assert(
      fc.property(fc.array(fc.oneof(storedCode(), fc.string({ maxLength: 6 }), fc.stringMatching(/^[0-9.]{0,8}$/)), { maxLength: 30 }), (codes) => {
        sqlite.exec('delete from codes');
        if (codes.length)
          db.insert(table)
            .values(codes.map((code) => ({ code })))
            .run();
        const inSql = db
          .select()
          .from(table)
          .orderBy(...codeOrderOf(table.code))
          .all()
          .map((r) => r.code);
        expect(inSql).toEqual([...codes].sort(compareMeasureCodes));
      }),
      { numRuns: 200 },
    );
    sqlite.close();
  });
});
