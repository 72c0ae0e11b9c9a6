/**
 * Which buttons a measure card offers: to one viewer (their own rights), or, on a card shared in
 * a group chat, everything the measure's state allows to someone entitled. Whoever presses is
 * checked again on the server when the action runs.
 */
import type { Actor, MeasureRow } from '../services/records.js';
import type { MeasureAction } from '../../cards/views.js';
import { canReport, canRequestExtension, canSee, canSubmit, canVerify } from '../services/measure-access.js';
import { mayAttachEvidence } from '../services/evidence.service.js';

/** What else decides the buttons: whether the measure has evidence files to send. */
type EvidenceState = { hasFiles?: boolean };

/** The buttons one viewer may press. */
export function measureActionsFor(actor: Actor, m: MeasureRow, e: EvidenceState = {}): MeasureAction[] {
  const actions: MeasureAction[] = [];
  const open = m.status !== 'closed' && m.status !== 'submitted';
  if (m.status !== 'closed' && canReport(actor, m)) actions.push('report');
  if (open && canSubmit(actor, m)) actions.push('submit');
  if (open && m.deadlineKind === 'dated' && canRequestExtension(actor, m)) actions.push('extend');
  if (mayAttachEvidence(actor, m)) actions.push('evidence_upload');
  if (e.hasFiles && canSee(actor, m)) actions.push('evidence_files');
  if (canSee(actor, m)) actions.push('history');
  if (m.status === 'submitted' && canVerify(actor)) actions.push('verify', 'return');
  return actions;
}

/**
 * Everything a measure's state lets someone entitled do: the buttons of a card in a group chat.
 * A 2.0 card is one view shared by the whole chat, so it cannot show one person's buttons;
 * whoever presses is checked on the server, as for any card.
 */
export function sharedMeasureActions(m: MeasureRow, e: EvidenceState = {}): MeasureAction[] {
  const actions: MeasureAction[] = [];
  const open = m.status !== 'closed' && m.status !== 'submitted';
  if (m.status !== 'closed') actions.push('report');
  if (open) actions.push('submit');
  if (open && m.deadlineKind === 'dated') actions.push('extend');
  if (m.status !== 'closed') actions.push('evidence_upload');
  if (e.hasFiles) actions.push('evidence_files');
  actions.push('history');
  if (m.status === 'submitted') actions.push('verify', 'return');
  return actions;
}
