/**
 * npm run cards -- <dir>
 * Writes every card type, rendered from sample data in each state, as JSON files that
 * can be pasted into Feishu's card builder, and reports any card over the limits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkCardLimits, cardRequestBytes } from '../cards/limits.js';
import { cardSamples } from './card-samples.js';

function main(): number {
  const dirArg = process.argv[2];
  if (!dirArg) {
    console.error('usage: npm run cards -- <output directory>');
    return 2;
  }
  const dir = resolve(dirArg);
  mkdirSync(dir, { recursive: true });
  let failures = 0;
  for (const sample of cardSamples()) {
    const file = join(dir, `${sample.type}--${sample.state}.json`);
    writeFileSync(file, `${JSON.stringify(sample.card, null, 2)}\n`);
    const violations = checkCardLimits(sample.card);
    failures += violations.length;
    const status = violations.length === 0 ? 'ok' : violations.map((v) => `${v.rule}: ${v.message}`).join('; ');
    console.log(`${sample.type}--${sample.state}.json  ${cardRequestBytes(sample.card)} B  ${status}`);
  }
  console.log(`written to ${dir}`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main();
