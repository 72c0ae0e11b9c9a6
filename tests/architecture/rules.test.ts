import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rules of .dependency-cruiser.cjs (run over the real tree by `npm run lint`) can
 * fail: a scratch tree with one planted violation per file is cruised in process with the same
 * configuration, and exactly the planted violations must be reported, no more (the allowed
 * imports beside them stay silent) and no fewer.
 */

const root = resolve(__dirname, '../..');

/** Allowed: each layer importing what it may, in every import form the rules must read. */
const CLEAN: Record<string, string> = {
  'src/entry.node.ts': `import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { createApp } from './app.js';
export const open = () => [readFileSync, drizzle(new Database(':memory:')), createApp];`,
  'src/playground/server.ts': `import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import { runWeekly } from '../jobs/weekly.job.js';
export const serve = (app: Hono) => [readFileSync, runWeekly, app];`,
  'src/playground/protocol.ts': `export interface MessageView { id: string }`,
  'src/playground/page/main.ts': `import { renderCard } from '../render/card.js';
import type { MessageView } from '../protocol.js';
export const show = (m: MessageView) => renderCard(m.id);`,
  'src/playground/render/card.ts': `import { escape } from './text.js';
export const renderCard = (s: string) => escape(s);`,
  'src/playground/render/text.ts': `export const escape = (s: string) => s.replace(/</g, '&lt;');`,
  'src/app.ts': `import { onEvent } from './feishu/webhook.js';
export const createApp = () => onEvent;`,
  'src/feishu/webhook.ts': `import type { Context } from 'hono';
import { route } from '../dispatch/router.js';
export const onEvent = (c: Context) => route(c.req.path);`,
  'src/feishu/outbox.ts': `export const deliver = () => 0;`,
  'src/dispatch/router.ts': `import { run } from '../../commands/ok.command.js';
import { enqueueMessage } from '../outbox/message.js';
export const route = (text: string) => (enqueueMessage(text), run());`,
  'src/jobs/scheduler.node.ts': `import { setTimeout } from 'node:timers/promises';
export const tick = () => setTimeout(1);`,
  'src/jobs/weekly.job.ts': `import { weekly } from '../services/ok.js';
import { enqueueMessage } from '../outbox/message.js';
export const runWeekly = () => enqueueMessage(weekly().code);`,
  'src/outbox/message.ts': `import { enqueue } from '../../db/queries/outbox.js';
import { element } from '../../cards/elements.js';
export const enqueueMessage = (text: string) => enqueue(JSON.stringify(element(text, [])));`,
  'commands/ok.command.ts':
    "import { weekly } from \"../src/services/ok.js\";\nimport { view } from '../src/views/ok.view.js';\nimport { card } from '../cards/ok.card.js';\nexport const run = () => card(view(weekly()));",
  'src/views/ok.view.ts': `import type { Weekly } from '../services/ok.js';
export const view = (w: Weekly) => ({ code: w.code });`,
  'src/services/ok.ts': `import { listMeasures } from '../../db/queries/measures.js';
import { normalizeCode } from '../domain/codes.js';
import { parseLedger } from '../ledger-io/ok.js';
import type { ServiceDeps } from '../deps.js';
export type Weekly = { code: string };
export const weekly = (_deps?: ServiceDeps): Weekly => ({ code: normalizeCode(String(listMeasures().length + parseLedger())) });`,
  'src/ledger-io/ok.ts': `import { normalizeCode } from '../domain/codes.js';
export const parseLedger = async () => normalizeCode((await import('../domain/codes.js')).normalizeCode('a'));`,
  'src/deps.ts': `import type { Clock } from './clock.js';
import type { deliver } from './feishu/outbox.js';
export interface ServiceDeps { clock: Clock; deliver: typeof deliver }`,
  'src/clock.ts': `export interface Clock { now(): Date }`,
  'src/runtime/long-connection.ts': `import type { WebSocket } from 'ws';
export const open = (s: WebSocket) => s.readyState;`,
  'db/schema.ts': `import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { STATUSES } from '../src/domain/codes.js';
export const measures = sqliteTable('measures', { code: text('code', { enum: STATUSES }) });
export type MeasureRow = typeof measures.$inferSelect;`,
  'db/queries/measures.ts': `import { eq } from 'drizzle-orm';
import { measures, type MeasureRow } from '../schema.js';
export const listMeasures = (): MeasureRow[] => (eq(measures.code, 'open'), []);`,
  'db/queries/outbox.ts': `export const enqueue = (text: string) => text;`,
  'src/domain/codes.ts': `export const STATUSES = ['open', 'closed'] as const;
export const normalizeCode = (code: string) => code.trim();`,
  'cards/ok.card.ts': `import { z } from 'zod';
import { STATUSES } from '../src/domain/codes.js';
import { element } from './elements.js';
export const card = (view: { code: string }) => element(z.string().parse(view.code), STATUSES);`,
  'cards/elements.ts': `export const element = (text: string, tags: readonly string[]) => ({ tag: 'markdown', text, tags });`,
};

/** One violation per file: path -> [the rule, the module it reaches]. */
const PLANTED: Record<string, { source: string; rule: string; to: string }> = {
  'cards/feishu.card.ts': {
    source: 'import { deliver } from "../src/feishu/outbox.js";\nexport const c = deliver;',
    rule: 'cards-pure',
    to: 'src/feishu/outbox.ts',
  },
  'cards/schema.card.ts': {
    source: "import type { MeasureRow } from '../db/schema.js';\nexport const c = (r: MeasureRow) => r.code;",
    rule: 'cards-pure',
    to: 'db/schema.ts',
  },
  'commands/queries.command.ts': {
    source: "import { listMeasures } from '../db/queries/measures.js';\nexport const run = () => listMeasures();",
    rule: 'commands-not-to-db',
    to: 'db/queries/measures.ts',
  },
  'commands/summary.command.ts': {
    source: "export { runWeekly } from '../src/jobs/weekly.job.js';",
    rule: 'commands-imports-down',
    to: 'src/jobs/weekly.job.ts',
  },
  'commands/send.command.ts': {
    source: "import { enqueueMessage } from '../src/outbox/message.js';\nexport const run = () => enqueueMessage('');",
    rule: 'commands-imports-down',
    to: 'src/outbox/message.ts',
  },
  'src/services/dispatch.ts': {
    source: "import { route } from '../dispatch/router.js';\nexport const s = route;",
    rule: 'services-stay-domain',
    to: 'src/dispatch/router.ts',
  },
  'src/services/card.ts': {
    source: "import { card } from '../../cards/ok.card.js';\nexport const s = card;",
    rule: 'services-stay-domain',
    to: 'cards/ok.card.ts',
  },
  'src/services/node.ts': {
    source: "import { readFileSync } from 'node:fs';\nexport const s = readFileSync;",
    rule: 'node-builtins-only-in-node-code',
    to: 'fs',
  },
  'src/services/hono.ts': {
    source: "import type { Context } from 'hono';\nexport const s = (c: Context) => c.req.path;",
    rule: 'services-stay-domain',
    to: 'node_modules/hono/dist/types/index.d.ts',
  },
  'src/feishu/sqlite.ts': {
    source: "import type Database from 'better-sqlite3';\nexport const s = (db: Database.Database) => db.name;",
    rule: 'node-packages-only-in-node-code',
    to: 'node_modules/better-sqlite3/lib/index.js',
  },
  'src/feishu/ws.ts': {
    source: "import type { WebSocket } from 'ws';\nexport const s = (w: WebSocket) => w.url;",
    rule: 'node-packages-only-in-node-code',
    to: 'node_modules/ws/wrapper.mjs',
  },
  'src/entry.worker.ts': {
    source: "import { createApp } from './app.js';\nimport { open } from './runtime/long-connection.js';\nexport default { fetch: createApp, open };",
    rule: 'workers-entry-not-node-code',
    to: 'src/runtime/long-connection.ts',
  },
  'src/services/drizzle.ts': {
    source: "import { eq } from 'drizzle-orm';\nexport const s = eq;",
    rule: 'drizzle-only-in-db',
    to: 'node_modules/drizzle-orm/index.d.ts',
  },
  'src/ledger-io/services.ts': {
    source: "export const s = async () => (await import('../services/ok.js')).weekly();",
    rule: 'ledger-io-pure',
    to: 'src/services/ok.ts',
  },
  'src/dispatch/outbox.ts': {
    source: "import { deliver } from '../feishu/outbox.js';\nexport const s = deliver;",
    rule: 'dispatch-imports-down',
    to: 'src/feishu/outbox.ts',
  },
  'db/queries/services.ts': {
    source: "import type { Weekly } from '../../src/services/ok.js';\nexport const q = (w: Weekly) => w;",
    rule: 'db-imports-db-and-domain',
    to: 'src/services/ok.ts',
  },
  'src/playground/render/cards.ts': {
    source: "import { element } from '../../../cards/elements.js';\nexport const r = element;",
    rule: 'playground-render-self-contained',
    to: 'cards/elements.ts',
  },
  'src/playground/page/server.ts': {
    source: "import { serve } from '../server.js';\nexport const p = serve;",
    rule: 'playground-page-browser-only',
    to: 'src/playground/server.ts',
  },
  'src/playground/entry.ts': {
    source: "import { open } from '../entry.node.js';\nexport const p = open;",
    rule: 'playground-imports-down',
    to: 'src/entry.node.ts',
  },
  'src/domain/clock.ts': {
    source: "import type { Clock } from '../clock.js';\nexport const d = (c: Clock) => c.now();",
    rule: 'domain-imports-nothing-of-ours',
    to: 'src/clock.ts',
  },
};

/** A cycle of three files, closed by a type-only import. */
const CYCLE: Record<string, string> = {
  'src/services/cycle-a.ts': "import { b } from './cycle-b.js';\nexport const a = () => b();",
  'src/services/cycle-b.ts': "import { c } from './cycle-c.js';\nexport const b = () => c();",
  'src/services/cycle-c.ts': "import type { a } from './cycle-a.js';\nexport const c = (): ReturnType<typeof a> | undefined => undefined;",
};

let dir: string;

function plant(files: Record<string, string>) {
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), `${source}\n`);
  }
}

async function violations(): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'));
  const tsConfigFile = join(dir, 'tsconfig.json');
  const { output } = await cruise(
    ['src', 'commands', 'cards', 'db'],
    { ...options, baseDir: dir, cache: false, tsConfig: { fileName: tsConfigFile } },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.cycle ? v.cycle.map((step) => step.name).join(' -> ') : v.to}`).sort();
}

let found: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duban-rules-'));
  copyFileSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  plant(CLEAN);
  plant(Object.fromEntries(Object.entries(PLANTED).map(([path, p]) => [path, p.source])));
  plant(CYCLE);
  found = await violations();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the layering rules (.dependency-cruiser.cjs)', () => {
  it.each(Object.entries(PLANTED))('report %s', (path, { rule, to }) => {
    expect(found).toContain(`${rule}: ${path} -> ${to}`);
  });

  it('report a cycle of three files, type-only edges included', () => {
    const cycles = found.filter((v) => v.startsWith('no-circular: '));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.replace('no-circular: ', '').split(' -> ').sort()).toEqual([
      'src/services/cycle-a.ts',
      'src/services/cycle-a.ts',
      'src/services/cycle-b.ts',
      'src/services/cycle-c.ts',
    ]);
  });

  it('report nothing else: every import of the allowed files passes', () => {
    const planted = Object.entries(PLANTED).map(([path, { rule, to }]) => `${rule}: ${path} -> ${to}`);
    expect(found.filter((v) => !planted.includes(v) && !v.startsWith('no-circular: '))).toEqual([]);
  });
});
