import {
  findEvidenceSession,
  findEvidenceWaiver,
  getEvidence,
  insertEvidence,
  listEvidenceOfMeasure,
  openEvidenceSession,
  upsertEvidenceWaiver,
  type EvidenceRow,
  type EvidenceWaiverRow,
} from '../../db/queries/evidence.js';
import { pageLedgerMeasures } from '../../db/queries/measures-read.js';
import { getMeasure, type MeasureRow } from '../../db/queries/measures-write.js';
import type { Actor } from '../../db/queries/people.js';
import type { EVIDENCE_SOURCES } from '../../db/schema.js';
import { EVIDENCE_TYPES_TEXT, evidenceTypeOf, sizeText } from '../domain/evidence-files.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from './errors.js';
import { sha256Hex } from './evidence-store.js';
import { canReport, canSee, isManager, ownedScopeOf } from './measure-access.js';

/**
 * Evidence (佐证材料) of measures: who may attach it, the file rules (type, size), keeping the
 * bytes (through the EvidenceStore port, or only a reference to the Feishu message), the
 * pending "next files are for this measure" session, and the secretary's waiver.
 * The transport downloads files and sends them back; this module never talks to Feishu.
 */

export type { EvidenceRow, EvidenceWaiverRow };
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/** How long after /evidence (or 上传佐证) files sent in the private chat go to that measure. */
export const EVIDENCE_SESSION_MINUTES = 10;

export const NEEDS_EVIDENCE = (code: string) => `申请销号前请先上传佐证材料：发送 /佐证 ${code} 后发送文件，或在措施卡片上点「上传佐证」。`;

const actorName = (a: Actor) => a.person?.name ?? null;

/** Who may attach evidence to a measure: whoever may report on it, while it is not closed. */
function mayAttach(actor: Actor, measure: MeasureRow): void {
  if (!canReport(actor, measure)) throw new UserError(`您不是措施 ${measure.code} 的责任人，不能为它上传佐证材料。如有疑问请联系整改办。`);
  if (measure.status === 'closed') throw new UserError(`措施 ${measure.code} 已销号，不能再上传佐证材料。`);
}

export const mayAttachEvidence = (actor: Actor, measure: MeasureRow): boolean => canReport(actor, measure) && measure.status !== 'closed';

/** Opens the actor's evidence session for the measure; returns when it ends. */
export async function startEvidenceSession(deps: ServiceDeps, actor: Actor, measure: MeasureRow): Promise<{ expiresAt: Date }> {
  mayAttach(actor, measure);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + EVIDENCE_SESSION_MINUTES * 60_000);
  await openEvidenceSession(deps.db, { openId: actor.openId, measureId: measure.id, expiresAt: expiresAt.toISOString(), now: now.toISOString() });
  return { expiresAt };
}

/** The measure the person's open evidence session is for, if any. */
export async function sessionMeasure(deps: ServiceDeps, openId: string): Promise<MeasureRow | undefined> {
  const session = await findEvidenceSession(deps.db, openId, deps.clock.now().toISOString());
  return session ? getMeasure(deps.db, session.measureId) : undefined;
}

/** The largest evidence file accepted, in bytes. */
export const evidenceMaxBytes = (deps: ServiceDeps): number => deps.config.evidence.maxMb * 1024 * 1024;

/** The refusal of a file whose type is not accepted, or undefined when it is. */
export function evidenceTypeProblem(fileName: string): string | undefined {
  if (evidenceTypeOf(fileName)) return undefined;
  return `“${fileName}”的文件类型不能作为佐证材料，没有保存。可以上传的类型：${EVIDENCE_TYPES_TEXT}。`;
}

/** The refusal of a file above EVIDENCE_MAX_MB (its size when known). */
export function evidenceTooLarge(deps: ServiceDeps, fileName: string, size?: number): string {
  const limit = deps.config.evidence.maxMb;
  const stated = size !== undefined ? `大小 ${sizeText(size)}，` : '';
  return `“${fileName}”${stated}超过佐证材料 ${limit} MB 的上限，没有保存。请压缩或拆分后重新发送。`;
}

export interface EvidenceFile {
  name: string;
  bytes: Uint8Array;
  /** the Feishu message that carried it and its file_key or image_key */
  messageId: string;
  fileKey: string;
}

export interface RecordedEvidence {
  row: EvidenceRow;
  /** false when the measure already had the same file or link (recorded once) */
  inserted: boolean;
  measure: MeasureRow;
}

/**
 * Keeps a file as evidence of a measure: checks who sends it, its type and size, stores the
 * bytes (or, without a store, only the reference to the Feishu message) and records it once
 * per measure and hash.
 */
export async function recordEvidenceFile(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; file: EvidenceFile; source: EvidenceSource },
): Promise<RecordedEvidence> {
  const { actor, measure, file } = p;
  mayAttach(actor, measure);
  const type = evidenceTypeOf(file.name);
  if (!type) throw new UserError(evidenceTypeProblem(file.name)!);
  if (file.bytes.byteLength > evidenceMaxBytes(deps)) throw new UserError(evidenceTooLarge(deps, file.name, file.bytes.byteLength));
  const sha256 = await sha256Hex(file.bytes);
  const store = deps.evidenceStore;
  const storageKey = store ? await store.put(file.bytes, { sha256, name: file.name, mime: type.mime }) : null;
  const r = await insertEvidence(deps.db, {
    campaignId: measure.campaignId,
    measureId: measure.id,
    kind: type.kind,
    name: file.name,
    size: file.bytes.byteLength,
    mime: type.mime,
    sha256,
    storage: store ? store.storage : 'feishu_ref',
    storageKey,
    messageId: file.messageId,
    fileKey: file.fileKey,
    url: null,
    source: p.source,
    addedByPersonId: actor.person?.id ?? null,
    addedByName: actorName(actor),
    addedByOpenId: actor.openId,
    addedAt: deps.clock.now().toISOString(),
  });
  return { row: r.row, inserted: r.inserted, measure: r.measure ?? measure };
}

/** Records links as evidence of a measure, each once; returns what was recorded (new and known). */
export async function recordEvidenceLinks(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; urls: string[]; source: EvidenceSource },
): Promise<{ added: EvidenceRow[]; known: EvidenceRow[]; measure: MeasureRow }> {
  const { actor } = p;
  let measure = p.measure;
  const added: EvidenceRow[] = [];
  const known: EvidenceRow[] = [];
  if (p.urls.length === 0) return { added, known, measure };
  mayAttach(actor, measure);
  for (const url of p.urls) {
    const r = await insertEvidence(deps.db, {
      campaignId: measure.campaignId,
      measureId: measure.id,
      kind: 'link',
      name: url,
      url,
      source: p.source,
      addedByPersonId: actor.person?.id ?? null,
      addedByName: actorName(actor),
      addedByOpenId: actor.openId,
      addedAt: deps.clock.now().toISOString(),
    });
    (r.inserted ? added : known).push(r.row);
    if (r.measure) measure = r.measure;
  }
  return { added, known, measure };
}

export interface MeasureEvidence {
  items: EvidenceRow[];
  waiver: EvidenceWaiverRow | undefined;
}

export async function evidenceOf(deps: ServiceDeps, measureId: number): Promise<MeasureEvidence> {
  return { items: await listEvidenceOfMeasure(deps.db, measureId), waiver: await findEvidenceWaiver(deps.db, measureId) };
}

/** Whether applying for closure must wait for evidence (EVIDENCE_REQUIRED, no waiver, none attached). */
export async function lacksEvidence(deps: ServiceDeps, measureId: number): Promise<boolean> {
  if (!deps.config.evidence.required) return false;
  const e = await evidenceOf(deps, measureId);
  return e.items.length === 0 && !e.waiver;
}

/** The secretary waives the evidence of a measure (免于佐证), with a reason that is recorded. */
export async function waiveEvidence(deps: ServiceDeps, p: { actor: Actor; measure: MeasureRow; reason: string }): Promise<MeasureRow> {
  const { actor, measure } = p;
  if (!isManager(actor)) throw new UserError('只有整改办可以免除措施的佐证材料。');
  if (measure.status === 'closed') throw new UserError(`措施 ${measure.code} 已销号，无需再免除佐证材料。`);
  const reason = p.reason.trim();
  if (!reason) throw new UserError('请写明免于佐证的原因。');
  if ([...reason].length > 500) throw new UserError(`免于佐证的原因最多 500 字，本次 ${[...reason].length} 字。`);
  const updated = await upsertEvidenceWaiver(deps.db, {
    measureId: measure.id,
    waivedBy: actor.openId,
    waivedByName: actorName(actor),
    reason,
    at: deps.clock.now().toISOString(),
  });
  if (!updated) throw new UserError(`措施 ${measure.code} 已不存在。`);
  return updated;
}

/** A stored piece of evidence of a measure the actor may see. */
export async function visibleEvidence(deps: ServiceDeps, actor: Actor, evidenceId: number): Promise<{ row: EvidenceRow; measure: MeasureRow } | undefined> {
  const row = await getEvidence(deps.db, evidenceId);
  const measure = row ? await getMeasure(deps.db, row.measureId) : undefined;
  return row && measure && canSee(actor, measure) ? { row, measure } : undefined;
}

/** The bytes of a stored file; undefined for a reference only (the transport fetches it from Feishu) or a lost file. */
export async function storedBytes(deps: ServiceDeps, row: EvidenceRow): Promise<Uint8Array | undefined> {
  if (row.kind === 'link' || !row.storageKey || row.storage === 'feishu_ref' || !deps.evidenceStore) return undefined;
  return deps.evidenceStore.get(row.storageKey);
}

/** The open measures a person may attach evidence to (theirs, or their department's), in code order, at most `limit`. */
export async function measuresForEvidence(deps: ServiceDeps, actor: Actor, campaignId: number, limit: number) {
  const scope = ownedScopeOf(actor);
  if (scope.personId === null && scope.departmentId === null) return [];
  return pageLedgerMeasures(deps.db, { selection: { campaignId, ownedBy: scope, openOnly: true }, order: 'code', offset: 0, limit });
}
