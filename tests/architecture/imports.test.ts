import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering, checked: imports point down only (transport -> commands -> services -> db;
 * cards are pure), and only the entry files, runtime adapters and command-line scripts know
 * they run on Node. A rule nothing checks erodes.
 */

const root = resolve(__dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return files(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

interface Import {
  from: string;
  target: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const source = readFileSync(join(root, file), 'utf8');
  const out: Import[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = m[3]!;
    const target = spec.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), spec)).replace(/\.js$/, '.ts') : spec;
    out.push({ from: file, target, typeOnly: Boolean(m[2]) });
  }
  for (const m of source.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push({ from: file, target: m[1]!, typeOnly: false });
  return out;
}

const all = ['src', 'commands', 'cards', 'db'].flatMap(files).flatMap(importsOf);
const NODE_ONLY = /^(node:|better-sqlite3$|@hono\/node-server|drizzle-orm\/better-sqlite3)/;
const NODE_FILES = /^(src\/entry\.node\.ts|src\/runtime\/.*\.ts|src\/jobs\/scheduler\.node\.ts)$/;

const violations = (rule: (i: Import) => boolean) => all.filter(rule).map((i) => `${i.from} -> ${i.target}`);

describe('import direction', () => {
  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  const ours = (t: string) => /^(src|commands|cards|db)\//.test(t);
  const domain = (t: string) => t.startsWith('src/domain/');

  it('db/ imports nothing above it but the domain rules', () => {
    expect(violations((i) => i.from.startsWith('db/') && ours(i.target) && !i.target.startsWith('db/') && !domain(i.target))).toEqual([]);
  });

  it('cards/ are pure: nothing of ours but cards/ and the domain rules', () => {
    expect(violations((i) => i.from.startsWith('cards/') && ours(i.target) && !i.target.startsWith('cards/') && !domain(i.target))).toEqual([]);
  });

  it('the domain rules import nothing of ours; file formats only them', () => {
    expect(violations((i) => domain(i.from) && ours(i.target) && !domain(i.target))).toEqual([]);
    expect(violations((i) => i.from.startsWith('src/ledger-io/') && ours(i.target) && !i.target.startsWith('src/ledger-io/') && !domain(i.target))).toEqual([]);
  });

  it('services never reach the transport, Hono, the Feishu SDK, commands or cards', () => {
    expect(
      violations((i) => i.from.startsWith('src/services/') && /^(src\/(feishu|dispatch|jobs)\/|commands\/|cards\/|hono|@larksuiteoapi)/.test(i.target)),
    ).toEqual([]);
  });

  it('commands never reach the transport or Hono', () => {
    expect(violations((i) => i.from.startsWith('commands/') && /^(src\/(feishu|dispatch)\/|hono|@larksuiteoapi)/.test(i.target))).toEqual([]);
  });

  it('only entry files and runtime adapters import Node-only modules', () => {
    expect(violations((i) => NODE_ONLY.test(i.target) && !i.typeOnly && !NODE_FILES.test(i.from))).toEqual([]);
  });
});
