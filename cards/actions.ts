/**
 * The contract between cards and the callback handlers: every button carries
 * `{action, ...}` with one of these names, and forms use these field names.
 * Values are claims to check on the server, never permissions.
 */

/** Opens (or switches) the inline form of a measure card: `{form: MeasureFormKind}`. */
export const MEASURE_FORM = 'measure.form' as const;
/** Report form submitted: form_value holds reportText / reportPercent. */
export const MEASURE_REPORT = 'measure.report' as const;
/** Submit-for-verification form submitted (after the confirm dialog): optional submitNote. */
export const MEASURE_SUBMIT = 'measure.submit' as const;
/** Extension form submitted: extendDate ("2025-06-30 +0800") and extendReason. */
export const MEASURE_EXTEND = 'measure.extend' as const;
/** Show the history of the measure. */
export const MEASURE_HISTORY = 'measure.history' as const;
/** A verifier closes a submitted measure (button with confirm dialog). */
export const MEASURE_VERIFY = 'measure.verify' as const;
/** Return form submitted by a verifier: returnReason. */
export const MEASURE_RETURN = 'measure.return' as const;
/** 上传佐证 on a measure card: opens the presser's evidence session for the measure. */
export const EVIDENCE_START = 'evidence.start' as const;
/** 获取佐证文件 on a measure card: the stored files are sent to the presser's private chat. */
export const EVIDENCE_SEND = 'evidence.send' as const;
/** The "which measure is this file for" form submitted: form_value holds evidenceMeasure. */
export const EVIDENCE_PICK = 'evidence.pick' as const;
/** Another page of a list card: `{command, filter, page}`. */
export const LIST_PAGE = 'list.page' as const;
export const IMPORT_CONFIRM = 'import.confirm' as const;
export const IMPORT_CANCEL = 'import.cancel' as const;
export const EXTENSION_APPROVE = 'extension.approve' as const;
/** Reject form submitted: rejectReason. */
export const EXTENSION_REJECT = 'extension.reject' as const;

/** 回头看 card: the result of a closed measure has held (`{recheckId, measureId}`). */
export const RECHECK_HOLD = 'recheck.hold' as const;
/** 回头看 card: it rebounded; the form holds reboundReason (required). */
export const RECHECK_REBOUND = 'recheck.rebound' as const;

export const CARD_ACTION_NAMES = [
  MEASURE_FORM,
  MEASURE_REPORT,
  MEASURE_SUBMIT,
  MEASURE_EXTEND,
  MEASURE_HISTORY,
  MEASURE_VERIFY,
  MEASURE_RETURN,
  LIST_PAGE,
  IMPORT_CONFIRM,
  IMPORT_CANCEL,
  EXTENSION_APPROVE,
  EXTENSION_REJECT,
  RECHECK_HOLD,
  RECHECK_REBOUND,
  EVIDENCE_START,
  EVIDENCE_SEND,
  EVIDENCE_PICK,
] as const;
export type CardActionName = (typeof CARD_ACTION_NAMES)[number];

/** The forms a measure card can open inline (one at a time). */
export const MEASURE_FORM_KINDS = ['report', 'submit', 'extend', 'return'] as const;
export type MeasureFormKind = (typeof MEASURE_FORM_KINDS)[number];

/** What a measure button carries; `version` lets the handler refuse stale clicks. */
export type MeasureActionValue = {
  action: CardActionName;
  measureId: number;
  version: number;
  form?: MeasureFormKind;
};

/**
 * Names of the form fields, suffixed with the measure (or request) id so they are
 * unique within a card and a handler can tell which measure a form belongs to.
 */
export function measureFieldNames(measureId: number) {
  return {
    reportForm: `report_form_${measureId}`,
    reportText: `report_text_${measureId}`,
    reportPercent: `report_percent_${measureId}`,
    reportLink: `report_link_${measureId}`,
    reportSubmit: `report_submit_${measureId}`,
    submitForm: `submit_form_${measureId}`,
    submitNote: `submit_note_${measureId}`,
    submitSubmit: `submit_submit_${measureId}`,
    extendForm: `extend_form_${measureId}`,
    extendDate: `extend_date_${measureId}`,
    extendReason: `extend_reason_${measureId}`,
    extendSubmit: `extend_submit_${measureId}`,
    returnForm: `return_form_${measureId}`,
    returnReason: `return_reason_${measureId}`,
    returnSubmit: `return_submit_${measureId}`,
  };
}

/** The fields of the card asking which measure a file is evidence for (one card per file message). */
export const EVIDENCE_PICK_FIELDS = { form: 'evidence_pick_form', measure: 'evidence_measure', submit: 'evidence_pick_submit' } as const;

export function extensionFieldNames(requestId: number) {
  return {
    rejectForm: `reject_form_${requestId}`,
    rejectReason: `reject_reason_${requestId}`,
    rejectSubmit: `reject_submit_${requestId}`,
  };
}

export function recheckFieldNames(recheckId: number) {
  return {
    reboundForm: `rebound_form_${recheckId}`,
    reboundReason: `rebound_reason_${recheckId}`,
    reboundSubmit: `rebound_submit_${recheckId}`,
  };
}
