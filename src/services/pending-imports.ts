/**
 * A ledger file previewed in chat waits here until the person who sent it confirms (确认导入)
 * or cancels (取消导入): by command or by the preview card's buttons alike.
 */
import { closePendingImport, findPendingImport, getPendingImport, type PendingImport } from '../../db/queries/pending-imports.js';
import type { ServiceDeps } from '../deps.js';
import { applyImport, type ImportPlan, type ImportSummary } from './import.service.js';

export type { PendingImport };

/** The file this person previewed last and has not confirmed or cancelled. */
export function pendingImportOf(deps: ServiceDeps, openId: string): Promise<PendingImport | undefined> {
  return findPendingImport(deps.db, openId);
}

export function pendingImportById(deps: ServiceDeps, importId: number): Promise<PendingImport | undefined> {
  return getPendingImport(deps.db, importId);
}

/** Drops a previewed import; nothing had been written. False when it was no longer pending. */
export function cancelPendingImport(deps: ServiceDeps, pending: PendingImport): Promise<boolean> {
  return closePendingImport(deps.db, pending.id, 'cancelled');
}

/** Writes a previewed import, optionally into another campaign. */
export async function confirmPendingImport(deps: ServiceDeps, pending: PendingImport, actor: string, campaignName?: string): Promise<ImportSummary> {
  const stored = JSON.parse(pending.payload) as ImportPlan;
  const plan: ImportPlan = { campaignName: campaignName ?? stored.campaignName, ledger: stored.ledger, resolved: stored.resolved };
  const summary = await applyImport(deps, plan, actor);
  if (summary.applied) await closePendingImport(deps.db, pending.id, 'confirmed');
  return summary;
}

/** The preview summary stored with a pending import. */
export function storedPreview(pending: PendingImport): ImportSummary | undefined {
  return (JSON.parse(pending.payload) as { preview?: ImportSummary }).preview;
}
