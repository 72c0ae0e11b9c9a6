// Compiles the Node service into one ESM file (dependencies stay in node_modules), so `npm start`
// runs plain JavaScript: no TypeScript loader in the running process, a fraction of its memory.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/entry.node.ts'],
  outfile: 'dist/entry.node.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
