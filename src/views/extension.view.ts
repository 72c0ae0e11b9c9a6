/** An extension request as a card: the dates, the reason, and 同意 / 驳回 for whoever may decide. */
import { extensionRequestCard } from '../../cards/extension-request.card.js';
import type { ExtensionRequestView } from '../../cards/views.js';
import type { ServiceDeps } from '../deps.js';
import { extensionRequestDetail } from '../services/extension-requests.js';
import { canDecideExtension } from '../services/measure-access.js';
import type { Actor } from '../services/records.js';
import type { Reply } from './reply.js';

export async function extensionReply(deps: ServiceDeps, actor: Actor, requestId: number): Promise<Reply | undefined> {
  const found = await extensionRequestDetail(deps, requestId);
  if (!found) return undefined;
  const { request, measure, detail } = found;
  const view: ExtensionRequestView = {
    requestId: request.id,
    measureId: measure.id,
    measureCode: measure.code,
    measureText: measure.text,
    department: detail.departmentName,
    ownerName: detail.ownerName,
    requestedBy: found.requestedBy,
    oldDate: request.oldDueDate,
    newDate: request.newDueDate,
    reason: request.reason,
    version: measure.version,
    status: request.status,
    decidedBy: found.decidedBy,
    decisionNote: request.decisionNote,
    canDecide: canDecideExtension(actor),
  };
  return {
    kind: 'card',
    card: extensionRequestCard(view),
    cardRef: { kind: 'extension', measureId: measure.id, context: { viewer: actor.openId, requestId } },
  };
}
