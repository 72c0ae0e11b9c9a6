import { AtomicConflictError, DatabaseBusyError } from '../../db/atomic.js';
import { findCampaignByName, findChatCampaign } from '../../db/queries/campaigns.js';
import { listCampaignStructure, listStoredMeasures, readImportState, writeLedgerImport, type StoredMeasure } from '../../db/queries/ledger-import.js';
import type { ServiceDeps } from '../deps.js';
import { allMeasures, type ParsedLedger } from '../ledger-io/ledger.js';
import { parseLedgerFile } from '../ledger-io/parse.js';
import { todayIn } from '../domain/dates.js';
import { UserError } from './errors.js';
import { contactKind, planLedgerWrite, summarizeImport, type ImportPlan, type ImportSummary } from './import-plan.js';
import { describeError } from '../logger.js';

/**
 * One import path for the command line and the chat: parse, check everything, compare with
 * the campaign in the database (import-plan.ts), and only then write — all of it or nothing
 * (db/queries/ledger-import.ts). The summary's text is import-summary.ts.
 */

export type { ImportChanges, ImportPlan, ImportSummary } from './import-plan.js';
export { formatImportSummary } from './import-summary.js';

/** Finds Feishu open_ids for emails and mobiles (the contact API); returns contact -> open_id. */
export type PeopleLookup = (query: { emails: string[]; mobiles: string[] }) => Promise<Map<string, string>>;

/** A campaign name from a file name: the name without its extension. */
export function campaignNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '').trim() || '整改任务';
}

/** Chat default: the chat's campaign, else the newest active one, else the file's name. */
export async function defaultCampaignName(deps: ServiceDeps, chatId: string | undefined, fileName: string): Promise<string> {
  return (await findChatCampaign(deps.db, chatId))?.name ?? campaignNameFromFile(fileName);
}

async function resolvePeople(ledger: ParsedLedger, lookup: PeopleLookup | undefined, deps: ServiceDeps): Promise<Record<string, string>> {
  if (!lookup) return {};
  const emails = new Set<string>();
  const mobiles = new Set<string>();
  for (const m of allMeasures(ledger)) {
    const k = contactKind(m.ownerContact ?? '');
    if (k.email) emails.add(k.email);
    if (k.mobile) mobiles.add(k.mobile);
  }
  if (emails.size + mobiles.size === 0) return {};
  try {
    return Object.fromEntries(await lookup({ emails: [...emails], mobiles: [...mobiles] }));
  } catch (e) {
    // Without the contact API the import still works; people are assigned in chat later.
    deps.log.warn('contact lookup failed; owners stay unresolved', { error: describeError(e) });
    return {};
  }
}

/** The plan compared with the campaign as stored now. */
async function compare(deps: ServiceDeps, plan: ImportPlan): Promise<{ summary: ImportSummary; stored: StoredMeasure[]; campaignId?: number }> {
  const campaign = await findCampaignByName(deps.db, plan.campaignName);
  const stored = campaign ? await listStoredMeasures(deps.db, campaign.id) : [];
  return { summary: summarizeImport(plan, { campaignIsNew: !campaign, stored }), stored, campaignId: campaign?.id };
}

export interface PreviewInput {
  fileName: string;
  bytes: Uint8Array;
  campaignName?: string;
  lookup?: PeopleLookup;
}

/** Parses and checks a file and compares it with the campaign. Writes nothing. */
export async function previewImport(deps: ServiceDeps, input: PreviewInput): Promise<{ plan: ImportPlan; summary: ImportSummary }> {
  const campaignName = input.campaignName?.trim() || campaignNameFromFile(input.fileName);
  const campaign = await findCampaignByName(deps.db, campaignName);
  const referenceDate = campaign?.feedbackDate ?? todayIn(deps.clock, deps.config.timezone);
  const parse = deps.parseLedger ?? parseLedgerFile;
  const ledger = await parse(input.fileName, input.bytes, { referenceDate, maxRows: deps.config.imports.maxRows });
  const resolved = ledger.errors.length ? {} : await resolvePeople(ledger, input.lookup, deps);
  const plan: ImportPlan = { campaignName, ledger, resolved };
  return { plan, summary: (await compare(deps, plan)).summary };
}

const IMPORT_ATTEMPTS = 3;
export const IMPORT_CONFLICT_REPLY = '整改任务正被同时修改（可能有另一个导入正在进行），本次未导入任何内容，请稍后重试。';
export const IMPORT_BUSY_REPLY = '数据库正忙（另一个导入或服务正在写入），本次未导入任何内容，请稍后重试。';

/**
 * Writes a previewed plan: creates the campaign if new, updates measures matched by code, adds
 * new ones, flags vanished ones, and records every change in the audit log. Status, percent and
 * progress reports are never touched. Any error in the file means nothing is written.
 *
 * The comparison with the database and the write are checked to belong together: if the
 * campaign changed in between (two imports at once, in two processes), the write is computed
 * again, so concurrent imports end one after the other; if it keeps changing, or the database
 * stays locked, the import is refused in Chinese with nothing written.
 */
export async function applyImport(deps: ServiceDeps, plan: ImportPlan, actor: string): Promise<ImportSummary> {
  for (let attempt = 1; ; attempt++) {
    const expected = await readImportState(deps.db, plan.campaignName);
    const { summary, stored, campaignId } = await compare(deps, plan);
    if (summary.errors.length > 0) return summary;
    // Categories and problems are keyed by their ordinal; a changed title is updated in place.
    const structure = campaignId ? await listCampaignStructure(deps.db, campaignId) : { categories: [], problems: [] };
    const write = planLedgerWrite(plan, summary, { stored, structure }, { actor, at: deps.clock.now().toISOString(), timezone: deps.config.timezone });
    try {
      await writeLedgerImport(deps.db, write, expected);
    } catch (e) {
      if (e instanceof AtomicConflictError && attempt < IMPORT_ATTEMPTS) continue;
      if (e instanceof AtomicConflictError) throw new UserError(IMPORT_CONFLICT_REPLY);
      if (e instanceof DatabaseBusyError) throw new UserError(IMPORT_BUSY_REPLY);
      throw e;
    }
    const storedByCode = new Map(stored.map((s) => [s.code, s]));
    const changedMeasureIds = [...summary.changes.updated.map((u) => u.code), ...summary.changes.missing].map((code) => storedByCode.get(code)!.id);
    return { ...summary, applied: true, changedMeasureIds };
  }
}
