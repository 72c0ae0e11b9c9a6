/**
 * 0004_unset_deadline: measures imported when a source stating no deadline was stored as 长期坚持
 * (kind 'ongoing', no text, no date) become 时限待定; every deadline that was stated stays as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/entry.node.js';

const apply = (db: Database.Database, file: string) => {
  for (const statement of readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('--> statement-breakpoint')) db.exec(statement);
};

describe('0004_unset_deadline', () => {
  it('makes only the measures that stated nothing 时限待定, leaving stated deadlines unchanged', () => {
    const db = new Database(':memory:');
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const at = files.indexOf('0004_unset_deadline.sql');
    expect(at).toBeGreaterThan(0);
    for (const f of files.slice(0, at)) apply(db, f);
    const now = '2025-03-01T00:00:00Z';
    db.exec(`insert into campaigns (id, name, created_at) values (1, '虎林', '${now}');
      insert into categories (id, campaign_id, ordinal, title) values (1, 1, 1, '甲方面');
      insert into problems (id, campaign_id, category_id, ordinal, title) values (1, 1, 1, 1, '问题');`);
    const rows: Array<[code: string, kind: string, text: string | null, due: string | null]> = [
      ['1.1.1', 'ongoing', null, null], // stated nothing (document paragraph without a deadline)
      ['1.1.2', 'ongoing', '', null], // the same, stored as an empty text
      ['1.1.3', 'ongoing', '长期坚持', null],
      ['1.1.4', 'ongoing', '常态化', null],
      ['1.1.5', 'immediate_ongoing', '立行立改、长期坚持', null],
      ['1.1.6', 'immediate', '立行立改', null],
      ['1.1.7', 'dated', '2025年3月底前', '2025-03-31'],
      ['1.1.8', 'ongoing', '长期坚持', '2025-12-31'],
      ['1.1.9', 'immediate_ongoing', null, null],
    ];
    const insert = db.prepare(
      `insert into measures (campaign_id, problem_id, code, text, deadline_kind, deadline_text, due_date, original_due_date, created_at, updated_at) values (1, 1, ?, '措施', ?, ?, ?, ?, '${now}', '${now}')`,
    );
    for (const [code, kind, text, due] of rows) insert.run(code, kind, text, due, due);
    const read = () =>
      db.prepare('select code, deadline_kind as kind, deadline_text as text, due_date as due, version from measures order by id').all() as Array<
        Record<string, unknown>
      >;
    const before = read();

    apply(db, files[at]!);
    const after = read();
    expect(after.filter((m) => m.kind === 'unset').map((m) => m.code)).toEqual(['1.1.1', '1.1.2']);
    // Everything else, stated deadlines included, is exactly as it was.
    expect(after.filter((m) => m.kind !== 'unset')).toEqual(before.filter((m) => !['1.1.1', '1.1.2'].includes(m.code as string)));
    expect(after.slice(0, 2).map((m) => [m.text, m.due, m.version])).toEqual([
      [null, null, 2],
      ['', null, 2],
    ]);
    db.close();
  });
});
