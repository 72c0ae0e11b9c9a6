import { eq, sql } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { plainQuery } from '../../db/atomic.js';
import { campaigns } from '../../db/schema.js';

const drizzle = new SQLiteAsyncDialect();

describe('the statement text built without drizzle', () => {
  it('is what drizzle builds, for text, plain values and nested sql', () => {
    const name = '2024年巡察整改';
    const campaignRef = sql`(select id from campaigns where name = ${name})`;
    const measureRef = (code: string) => sql`(select id from measures where campaign_id = ${campaignRef} and code = ${code})`;
    const statements = [
      sql`insert into audit_log (measure_id, campaign_id, actor, before, note, at) values (${measureRef('1.1.1')}, ${campaignRef}, ${'ou_x'}, ${null}, ${3}, ${'2024-09-14'})`,
      sql`update measures set due_date = ${sql`due_date`}, version = version + 1 where id = ${42}`,
      sql.raw('select 1'),
      sql``,
    ];
    for (const s of statements) {
      const { sql: text, params } = drizzle.sqlToQuery(s);
      expect(plainQuery(s)).toEqual({ sql: text, params });
    }
  });

  it('leaves columns, tables and inlined values to drizzle', () => {
    expect(plainQuery(sql`select * from ${campaigns} where ${eq(campaigns.id, 1)}`)).toBeUndefined();
    expect(plainQuery(sql`select ${'a'}`.inlineParams())).toBeUndefined();
    expect(plainQuery(sql`select ${sql`${'a'}`.inlineParams()}`)).toBeUndefined();
    expect(plainQuery(sql`select ${undefined}`)).toBeUndefined();
  });
});
