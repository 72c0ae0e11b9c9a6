/** Card buttons by the `action` their value names: the second door to the same services as the commands. */
import {
  EVIDENCE_PICK,
  EVIDENCE_SEND,
  EVIDENCE_START,
  EXTENSION_APPROVE,
  EXTENSION_REJECT,
  IMPORT_CANCEL,
  IMPORT_CONFIRM,
  LIST_PAGE,
  MEASURE_EXTEND,
  MEASURE_FORM,
  MEASURE_HISTORY,
  MEASURE_REPORT,
  MEASURE_RETURN,
  MEASURE_SUBMIT,
  MEASURE_VERIFY,
  RECHECK_HOLD,
  RECHECK_REBOUND,
} from '../../../cards/actions.js';
import type { CardActionHandlerFn } from '../card-actions.js';
import { pick, sendFiles, startUpload } from './evidence.actions.js';
import { decide } from './extension.actions.js';
import { importDecision } from './import.actions.js';
import { page } from './list.actions.js';
import { answer } from './recheck.actions.js';
import { extend, giveBack, history, openForm, report, submit, verify } from './measure.actions.js';

export { pickedDate } from './measure.actions.js';

export const cardActionHandlers: Record<string, CardActionHandlerFn> = {
  [IMPORT_CONFIRM]: importDecision(true),
  [IMPORT_CANCEL]: importDecision(false),
  [MEASURE_FORM]: openForm,
  [MEASURE_REPORT]: report,
  [MEASURE_SUBMIT]: submit,
  [MEASURE_EXTEND]: extend,
  [MEASURE_VERIFY]: verify,
  [MEASURE_RETURN]: giveBack,
  [MEASURE_HISTORY]: history,
  [LIST_PAGE]: page,
  [EXTENSION_APPROVE]: decide(true),
  [EXTENSION_REJECT]: decide(false),
  [RECHECK_HOLD]: answer('held'),
  [RECHECK_REBOUND]: answer('rebounded'),
  [EVIDENCE_START]: startUpload,
  [EVIDENCE_SEND]: sendFiles,
  [EVIDENCE_PICK]: pick,
};
