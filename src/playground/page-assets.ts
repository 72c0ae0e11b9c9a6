/**
 * The page and its script. The script is TypeScript under src/playground/page/, bundled for
 * the browser by esbuild: scripts/build.mjs writes it beside dist/entry.node.js for `npm start`;
 * running from TypeScript (tsx, vitest) it is bundled on the first request and kept.
 */
import { readFile } from 'node:fs/promises';

export const PAGE_ENTRY = new URL('./page/main.ts', import.meta.url);
const FROM_SOURCE = import.meta.url.endsWith('.ts');

let script: Promise<string> | undefined;

export function pageScript(): Promise<string> {
  script ??= (FROM_SOURCE ? bundleFromSource() : readFile(new URL('./playground.js', import.meta.url), 'utf8')).catch((e) => {
    script = undefined;
    throw e;
  });
  return script;
}

async function bundleFromSource(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [PAGE_ENTRY.pathname],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

export function pageHtml(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>督办 · 体验场</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="app">正在加载…</div>
<script src="/playground/app.js"></script>
</body>
</html>`;
}
