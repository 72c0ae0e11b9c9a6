/**
 * npm run export -- <out.xlsx> [--campaign <name>]
 * npm run export -- --archive <out.zip> [--campaign <name>]
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { UserError } from '../src/services/errors.js';
import { buildLedgerWorkbook } from '../src/ledger-io/export-xlsx.js';
import { evidenceDirOf } from '../src/entry.node.js';
import { writeArchiveZip } from '../src/runtime/archive-zip.node.js';
import { prepareArchive } from '../src/services/archive.service.js';
import { loadLedgerView } from '../src/services/ledger-export.service.js';
import { CliError, openCli, parseCli, runCli } from './cli-support.js';

const USAGE = 'npm run export -- <输出文件.xlsx> [--campaign <整改任务名称>]\n      npm run export -- --archive <整改档案.zip> [--campaign <整改任务名称>]';

const asCliError = (e: unknown) => {
  throw e instanceof UserError ? new CliError(e.message) : e;
};

runCli('duban export', async () => {
  const args = parseCli(USAGE, { campaign: { type: 'string' }, archive: { type: 'string' } });
  const archive = args.values.archive;
  if (archive !== undefined) {
    if (args.positionals.length > 0 || !/\.zip$/i.test(archive)) throw new CliError(`请给出一个 .zip 档案文件\n用法：${USAGE}`);
    const cli = openCli();
    try {
      const prepared = await prepareArchive(cli.deps, { campaignName: args.values.campaign }).catch(asCliError);
      // Streamed to the file: evidence files are read one at a time as the zip reaches them.
      const outcome = await writeArchiveZip(prepared.entries, createWriteStream(archive), { evidenceDir: evidenceDirOf(cli.deps.config) });
      console.log(
        `已导出“${prepared.campaign}”的整改档案：${prepared.measures}条措施，${prepared.files}份佐证文件` +
          `${prepared.referenceOnly ? `（另有${prepared.referenceOnly}份仅存引用，已在措施情况中列出）` : ''} -> ${archive}（${outcome.bytes}字节）`,
      );
      if (outcome.missing.length) console.error(`注意：${outcome.missing.length}份佐证文件在存储中缺失，档案中以说明文件代替：\n${outcome.missing.join('\n')}`);
      return 0;
    } finally {
      cli.close();
    }
  }
  const out = args.positionals[0];
  if (!out || args.positionals.length > 1 || !/\.xlsx$/i.test(out)) throw new CliError(`请给出一个 .xlsx 输出文件\n用法：${USAGE}`);
  const cli = openCli();
  try {
    const view = await loadLedgerView(cli.deps, args.values.campaign).catch(asCliError);
    writeFileSync(out, await buildLedgerWorkbook(view));
    const count = view.categories.reduce((n, c) => n + c.problems.reduce((k, p) => k + p.measures.length, 0), 0);
    console.log(`已导出“${view.campaign}”的整改台账：${count}条措施 -> ${out}`);
    return 0;
  } finally {
    cli.close();
  }
});
