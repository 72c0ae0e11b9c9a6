/** An extension request with what a card about it shows: the measure, its owner, who asked and who decided. */
import { getExtensionRequest, type ExtensionRequestRow } from '../../db/queries/extension-requests.js';
import { personNameById } from '../../db/queries/people.js';
import { getMeasure } from '../../db/queries/measures-write.js';
import type { ServiceDeps } from '../deps.js';
import { measureDetail, type MeasureDetail } from './measure-views.js';
import type { MeasureRow } from './records.js';

export type { ExtensionRequestRow };

export interface ExtensionRequestDetail {
  request: ExtensionRequestRow;
  measure: MeasureRow;
  detail: MeasureDetail;
  requestedBy: string | null;
  decidedBy: string | null;
}

export async function getExtensionRequestById(deps: ServiceDeps, requestId: number): Promise<ExtensionRequestRow | undefined> {
  return getExtensionRequest(deps.db, requestId);
}

export async function extensionRequestDetail(deps: ServiceDeps, requestId: number): Promise<ExtensionRequestDetail | undefined> {
  const request = await getExtensionRequest(deps.db, requestId);
  if (!request) return undefined;
  const measure = await getMeasure(deps.db, request.measureId);
  if (!measure) return undefined;
  const name = (id: number | null) => (id ? personNameById(deps.db, id) : Promise.resolve(null));
  return {
    request,
    measure,
    detail: await measureDetail(deps, measure),
    requestedBy: await name(request.requestedBy),
    decidedBy: await name(request.decidedBy),
  };
}
