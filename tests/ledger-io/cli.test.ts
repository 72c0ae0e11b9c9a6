import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/harness.js';
import { fixturePath } from './fixtures.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** Runs a CLI as `npx tsx` would, from a directory without .env, against a temp database. */
async function cli(script: string, args: string[], extraEnv: Record<string, string> = {}) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_PATH: join(dir.path, 'cli.sqlite'), ...extraEnv };
  try {
    const r = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'scripts', script), ...args], { cwd: dir.path, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function countMeasures(): number {
  const path = join(dir.path, 'cli.sqlite');
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from measures').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('npm run import', () => {
  it('--dry-run prints the summary and writes nothing; the real run imports', async () => {
    const dry = await cli('import.ts', [fixturePath('hulin-union-ledger.xlsx'), '--campaign', '虎林', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('识别结果：5类问题，15个问题，43条整改措施');
    expect(dry.stdout).toContain('没有写入任何内容');
    expect(countMeasures()).toBe(0);
    const real = await cli('import.ts', [fixturePath('hulin-union-ledger.xlsx'), '--campaign', '虎林']);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('新增43条');
    expect(countMeasures()).toBe(43);
  });

  it('exits non-zero with one line per problem and no stack trace', async () => {
    const bad = await cli('import.ts', [fixturePath('bad-deadline.csv')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('第5行（J5单元格）：无法识别的整改时限“尽快”');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(countMeasures()).toBe(0);
    const missing = await cli('import.ts', [join(dir.path, 'nope.xlsx')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const big = join(dir.path, 'big.csv');
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 0x41));
    const tooBig = await cli('import.ts', [big], { IMPORT_MAX_MB: '1' });
    expect(tooBig.code).not.toBe(0);
    expect(tooBig.stderr).toContain('文件超过 1 MB 的导入上限');
    const usage = await cli('import.ts', []);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toContain('用法');
  });
});

describe('two imports at once', () => {
  it('into a new database both finish, one after the other, and the ledger is written once', { timeout: 120_000 }, async () => {
    const file = fixturePath('hulin-union-ledger.csv');
    const [a, b] = await Promise.all([cli('import.ts', [file, '--campaign', '虎林']), cli('import.ts', [file, '--campaign', '虎林'])]);
    for (const r of [a, b]) {
      expect(r.stderr).not.toMatch(/Failed to run|SQLITE|constraint|locked|already exists/i);
      expect(r.code).toBe(0);
    }
    expect([a.stdout, b.stdout].filter((o) => o.includes('新增43条'))).toHaveLength(1);
    expect([a.stdout, b.stdout].filter((o) => o.includes('新增0条，更新0条，未变43条'))).toHaveLength(1);
    expect(countMeasures()).toBe(43);
    const db = new Database(join(dir.path, 'cli.sqlite'), { readonly: true });
    try {
      expect(db.prepare("select count(*) as n from audit_log where action = 'import.add'").get()).toEqual({ n: 43 });
    } finally {
      db.close();
    }
  });

  it('while another process keeps the database locked, refuses in Chinese and changes nothing', { timeout: 120_000 }, async () => {
    await cli('import.ts', [fixturePath('hulin-union-ledger.csv'), '--campaign', '虎林']);
    const other = new Database(join(dir.path, 'cli.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const r = await cli('import.ts', [fixturePath('hard-ledger.xlsx'), '--campaign', '样例']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('数据库正忙');
      expect(r.stderr).not.toMatch(/SQLITE|locked/i);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(countMeasures()).toBe(43);
  });
});

describe('npm run export / npm run report', () => {
  // Six runs of the tools, each starting tsx and a parse thread: slow on a busy machine.
  it('writes the 台账 workbook and the progress notice from the same database', { timeout: 120_000 }, async () => {
    expect((await cli('export.ts', [join(dir.path, 'out.xlsx')])).stderr).toContain('还没有导入任何整改任务');
    await cli('import.ts', [fixturePath('hulin-union-ledger.csv'), '--campaign', '虎林']);
    const exported = await cli('export.ts', [join(dir.path, 'out.xlsx'), '--campaign', '虎林']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('43条措施');
    const again = await cli('import.ts', [join(dir.path, 'out.xlsx'), '--campaign', '虎林', '--dry-run']);
    expect(again.stdout).toContain('新增0条，更新0条，未变43条');
    const report = await cli('report.ts', [join(dir.path, 'notice.md')]);
    expect(report.code).toBe(0);
    expect(readFileSync(join(dir.path, 'notice.md'), 'utf8')).toContain('共制定43条整改措施');
    const wrong = await cli('report.ts', [join(dir.path, 'notice.pdf')]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('.md 或 .docx');
  });
});
