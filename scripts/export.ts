/** npm run export -- <out.xlsx> [--campaign <name>] */
import { writeFileSync } from 'node:fs';
import { UserError } from '../src/services/errors.js';
import { buildLedgerWorkbook } from '../src/ledger-io/export-xlsx.js';
import { loadLedgerView } from '../src/services/ledger-export.service.js';
import { CliError, openCli, parseCli, runCli } from './cli-support.js';

const USAGE = 'npm run export -- <输出文件.xlsx> [--campaign <整改任务名称>]';

runCli('duban export', async () => {
  const args = parseCli(USAGE, { campaign: { type: 'string' } });
  const out = args.positionals[0];
  if (!out || args.positionals.length > 1 || !/\.xlsx$/i.test(out)) throw new CliError(`请给出一个 .xlsx 输出文件\n用法：${USAGE}`);
  const cli = openCli();
  try {
    const view = await loadLedgerView(cli.deps, args.values.campaign).catch((e) => {
      throw e instanceof UserError ? new CliError(e.message) : e;
    });
    writeFileSync(out, await buildLedgerWorkbook(view));
    const count = view.categories.reduce((n, c) => n + c.problems.reduce((k, p) => k + p.measures.length, 0), 0);
    console.log(`已导出“${view.campaign}”的整改台账：${count}条措施 -> ${out}`);
    return 0;
  } finally {
    cli.close();
  }
});
