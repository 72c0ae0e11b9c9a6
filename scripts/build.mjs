// Compiles the Node service into one ESM file (dependencies stay in node_modules), so `npm start`
// runs plain JavaScript: no TypeScript loader in the running process, a fraction of its memory.
// The ledger parse worker is a second entry point: a worker thread loads it from its own file
// (src/entry.node.ts finds it beside dist/entry.node.js). The playground's page script is bundled
// for the browser beside them (dist/playground.js, served at /playground/app.js).
//
// `node scripts/build.mjs [outdir]`: the folder must sit directly under the project root (the
// bundle finds db/migrations at ../db/migrations); tests build into a folder of their own.
import { build } from 'esbuild';

export async function buildNodeService(outdir = 'dist') {
  await build({
    entryPoints: { 'entry.node': 'src/entry.node.ts', 'ledger-parse.worker': 'src/runtime/ledger-parse.worker.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  await build({
    entryPoints: { playground: 'src/playground/page/main.ts' },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    charset: 'utf8',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildNodeService(process.argv[2]);
