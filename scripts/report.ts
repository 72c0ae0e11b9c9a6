/** npm run report -- <out.md|out.docx> [--campaign <name>] */
import { writeFileSync } from 'node:fs';
import { UserError } from '../src/services/errors.js';
import { buildProgressReportDocx, buildProgressReportMarkdown } from '../src/ledger-io/progress-report.js';
import { loadLedgerView } from '../src/services/ledger-export.service.js';
import { CliError, openCli, parseCli, runCli } from './cli-support.js';

const USAGE = 'npm run report -- <输出文件.md|.docx> [--campaign <整改任务名称>]';

runCli('duban report', async () => {
  const args = parseCli(USAGE, { campaign: { type: 'string' } });
  const out = args.positionals[0];
  if (!out || args.positionals.length > 1 || !/\.(md|docx)$/i.test(out)) throw new CliError(`请给出一个 .md 或 .docx 输出文件\n用法：${USAGE}`);
  const cli = openCli();
  try {
    const view = await loadLedgerView(cli.deps, args.values.campaign).catch((e) => {
      throw e instanceof UserError ? new CliError(e.message) : e;
    });
    writeFileSync(out, /\.docx$/i.test(out) ? await buildProgressReportDocx(view) : buildProgressReportMarkdown(view));
    console.log(`已生成“${view.campaign}”的整改进展情况 -> ${out}`);
    return 0;
  } finally {
    cli.close();
  }
});
