// Compiles the Node service into one ESM file (dependencies stay in node_modules), so `npm start`
// runs plain JavaScript: no TypeScript loader in the running process, a fraction of its memory.
// The ledger parse worker is a second entry point: a worker thread loads it from its own file
// (src/entry.node.ts finds it beside dist/entry.node.js).
import { build } from 'esbuild';

await build({
  entryPoints: { 'entry.node': 'src/entry.node.ts', 'ledger-parse.worker': 'src/runtime/ledger-parse.worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
