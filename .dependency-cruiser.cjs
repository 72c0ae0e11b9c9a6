/**
 * The layering of docs/architecture.md, enforced by `npm run lint` (`depcruise`) over the whole
 * import graph: static, dynamic (`import()`), re-exports and type-only imports, whatever the
 * quote style, resolved through tsconfig.json. tests/architecture/rules.test.ts plants a
 * violation of each rule in a scratch tree and checks that it is reported.
 *
 * Layers, top to bottom. A layer imports only layers below it (and itself):
 */
const LAYERS = [
  ['entry', '^src/(entry\\.[^/]+\\.ts$|runtime/)'], // the only code that knows the runtime
  ['playground', '^src/playground/'], // local mode's page: posts events to the app, provides its FeishuClient
  ['app', '^src/app\\.ts$'], // the Hono app
  ['feishu', '^src/feishu/'], // transport: webhook, inbox, outbox delivery, FeishuClient adapters
  ['dispatch', '^src/dispatch/'], // text -> command, card action -> handler, live card updates
  ['jobs', '^src/jobs/'], // scheduled jobs
  ['port', '^src/port/'], // the Feishu port (FeishuClient) that dispatch and jobs use; adapters are in feishu
  ['outbox', '^src/outbox/'], // what to send: message type, enqueue, stable ids (delivery is in feishu)
  ['commands', '^commands/'], // one file per command
  ['views', '^src/views/'], // service data -> card views and replies
  ['services', '^src/services/'], // domain operations: return data and notices, never send
  ['ledger-io', '^src/ledger-io/'], // file formats: pure, no db
  ['db', '^db/'], // db/queries (every drizzle query), db/schema.ts
  ['cards', '^cards/'], // pure card builders
  ['domain', '^src/domain/'], // pure domain rules, labels, enums
];
const layer = Object.fromEntries(LAYERS);
const above = (name) => {
  const index = LAYERS.findIndex(([n]) => n === name);
  return LAYERS.slice(0, index).map(([, path]) => path);
};

/** Cross-cutting modules at the top of src/, usable from the layers that may use our code. */
const KERNEL = '^src/(clock|config|logger)\\.ts$';
const DEPS = '^src/deps\\.ts$';
/** Our own code (anything else is a package or a Node built-in). */
const OURS = '^(src|commands|cards|db|scripts|bench|tests)/';
/** Above everything: may import anything. */
const TOOLS = '^(scripts|bench|tests)/';
/** The code that may know it runs on Node (src/runtime is the entry files' runtime pieces, all Node's but the Workers R2 store, *.r2.ts). */
const NODE_CODE = `^(src/entry\\.node\\.ts$|src/runtime/(?!.*\\.r2\\.ts$)|src/jobs/scheduler\\.node\\.ts$|src/playground/(?!page/|render/)|scripts/|bench/|tests/)`;
/** The playground's browser code: the page and the card renderer it draws cards with. */
const PAGE = '^src/playground/page/';
const RENDER = '^src/playground/render/';

/** Layers without a whitelist of their own: "down only" is generated for each. */
const downOnly = ['playground', 'app', 'feishu', 'dispatch', 'jobs', 'port', 'outbox', 'commands', 'views'].map((name) => ({
  name: `${name}-imports-down`,
  comment: `${name} (${layer[name]}) imports only the layers below it`,
  severity: 'error',
  from: { path: layer[name] },
  to: { path: above(name) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No cycles anywhere, type-only ones included: a cycle makes two modules one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...downOnly,
    {
      name: 'services-stay-domain',
      comment:
        'src/services returns data and notices: it never imports the transport, dispatch, jobs, commands, views, cards, Hono or the Feishu SDK (nor anything above them).',
      severity: 'error',
      from: { path: layer.services },
      to: {
        path: [...above('services'), layer.cards, '^node_modules/(hono|@hono/[^/]+|@larksuiteoapi/[^/]+)/'],
      },
    },
    {
      name: 'playground-render-self-contained',
      comment: 'The card renderer (src/playground/render) runs in the browser and in tools: it imports nothing outside itself, no package, no built-in.',
      severity: 'error',
      from: { path: RENDER },
      to: { pathNot: RENDER },
    },
    {
      name: 'playground-page-browser-only',
      comment: 'The playground page is bundled for the browser: it imports only itself, the renderer and the protocol types.',
      severity: 'error',
      from: { path: PAGE },
      to: { pathNot: [PAGE, RENDER, '^src/playground/protocol\\.ts$'] },
    },
    {
      name: 'commands-not-to-db',
      comment: 'Commands reach the database only through services (type-only imports included).',
      severity: 'error',
      from: { path: layer.commands },
      to: { path: layer.db },
    },
    {
      name: 'cards-pure',
      comment: 'cards/ are pure: they import only cards/ and src/domain/ (type-only imports included), no Node built-in, and of packages only zod.',
      severity: 'error',
      from: { path: layer.cards },
      to: { pathNot: ['^cards/', layer.domain, '^node_modules/zod/'] },
    },
    {
      name: 'ledger-io-pure',
      comment: 'src/ledger-io (file formats) imports of our code only src/domain/: no services, no db.',
      severity: 'error',
      from: { path: layer['ledger-io'] },
      to: { path: OURS, pathNot: [layer['ledger-io'], layer.domain] },
    },
    {
      name: 'db-imports-db-and-domain',
      comment: 'db/ imports of our code only db/ and src/domain/.',
      severity: 'error',
      from: { path: layer.db },
      to: { path: OURS, pathNot: [layer.db, layer.domain] },
    },
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'src/domain holds the rules every door uses; it imports nothing of ours.',
      severity: 'error',
      from: { path: layer.domain },
      to: { path: OURS, pathNot: layer.domain },
    },
    {
      name: 'kernel-imports-domain-only',
      comment: 'src/clock.ts, src/config.ts and src/logger.ts are used from every layer: of our code they import only each other and src/domain/.',
      severity: 'error',
      from: { path: KERNEL },
      to: { path: OURS, pathNot: [KERNEL, layer.domain] },
    },
    {
      name: 'deps-is-types-only',
      comment: 'src/deps.ts is the Deps contract: it imports types only, so depending on it pulls in no layer.',
      severity: 'error',
      from: { path: DEPS },
      to: { path: OURS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-imports-tools',
      comment: 'scripts/, bench/ and tests/ sit above everything; the application never imports them.',
      severity: 'error',
      from: { path: '^(src|commands|cards|db)/' },
      to: { path: TOOLS },
    },
    {
      name: 'drizzle-only-in-db',
      comment: 'Every drizzle query lives in db/; the entry files only pick the driver (see drizzle-entry-drivers-only).',
      severity: 'error',
      from: { pathNot: ['^db/', TOOLS, layer.entry] },
      to: { path: '^node_modules/drizzle-orm/' },
    },
    {
      name: 'drizzle-entry-drivers-only',
      comment: 'The entry files and src/runtime import drizzle only to open the database (the driver and its migrator).',
      severity: 'error',
      from: { path: layer.entry },
      to: { path: '^node_modules/drizzle-orm/', pathNot: '^node_modules/drizzle-orm/(better-sqlite3|d1)/' },
    },
    {
      name: 'node-builtins-only-in-node-code',
      comment:
        'Only the Node entry, src/runtime, the Node scheduler, scripts, bench and tests import Node built-ins (node:* or bare), type-only imports included.',
      severity: 'error',
      from: { pathNot: NODE_CODE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'node-packages-only-in-node-code',
      comment: 'better-sqlite3, its drizzle driver, the Node HTTP server and ws (under the long connection) are Node-only.',
      severity: 'error',
      from: { pathNot: NODE_CODE },
      to: { path: '^node_modules/(@types/)?(better-sqlite3|@hono/node-server|drizzle-orm/better-sqlite3|ws)/' },
    },
    {
      name: 'workers-entry-not-node-code',
      comment:
        "The Workers entry imports none of the Node entry's code (src/runtime: the long connection's WSClient, the work holder, threads; the playground, local mode on Node only), although both sit in the entry layer.",
      severity: 'error',
      from: { path: '^src/entry\\.worker\\.ts$' },
      to: { path: [NODE_CODE, '^src/playground/'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved could hide any of the violations above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'Every package imported is declared in package.json, not borrowed from a transitive install.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'app-not-to-dev-dep',
      comment: 'What ships (src, commands, cards, db) does not load devDependencies at run time.',
      severity: 'error',
      from: { path: '^(src|commands|cards|db)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    // Re-cruises only the files whose content changed since the last run.
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
    doNotFollow: { path: 'node_modules' },
    // Worktrees may link node_modules to another checkout's: keep its path as written.
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
