/** npm run import -- <file> [--campaign <name>] [--dry-run] */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { applyImport, formatImportSummary, previewImport } from '../src/services/import.service.js';
import { fileTooLargeReply } from '../src/dispatch/ledger-file.js';
import { refreshMeasureCards } from '../src/dispatch/live-cards.js';
import { CliError, openCli, parseCli, runCli } from './cli-support.js';

const USAGE = 'npm run import -- <文件.xlsx|.csv|.docx|.txt|.md> [--campaign <整改任务名称>] [--dry-run]';

runCli('duban import', async () => {
  const args = parseCli(USAGE, { campaign: { type: 'string' }, 'dry-run': { type: 'boolean' } });
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) throw new CliError(`请给出一个要导入的文件\n用法：${USAGE}`);
  const cli = openCli();
  let bytes: Uint8Array;
  try {
    // The same size limit as in chat, checked before the file is read.
    if (statSync(file).size > cli.deps.config.imports.maxMb * 1024 * 1024) throw new CliError(fileTooLargeReply(cli.deps.config.imports.maxMb));
    bytes = readFileSync(file);
  } catch (e) {
    cli.close();
    throw e instanceof CliError ? e : new CliError(`无法读取文件 ${file}`);
  }
  try {
    const lookup = cli.feishu ? (q: { emails: string[]; mobiles: string[] }) => cli.feishu!.lookupUserIds(q) : undefined;
    const { plan, summary } = await previewImport(cli.deps, { fileName: basename(file), bytes, campaignName: args.values.campaign, lookup });
    if (summary.errors.length > 0) {
      console.error(formatImportSummary(summary, 'preview'));
      return 1;
    }
    if (args.values['dry-run']) {
      console.log(formatImportSummary(summary, 'dry-run'));
      return 0;
    }
    const applied = await applyImport(cli.deps, plan, 'import');
    console.log(formatImportSummary(applied, 'applied'));
    // Cards already sent for changed measures are updated through the outbox (the service delivers them).
    const updates = await refreshMeasureCards(cli.deps, applied.changedMeasureIds ?? []);
    if (updates > 0) console.log(`已安排更新 ${updates} 张已发送的措施卡片（由运行中的服务发送）。`);
    return applied.errors.length ? 1 : 0;
  } finally {
    cli.close();
  }
});
