import { describe, expect, it } from 'vitest';
import { EXTENSION_APPROVE, EXTENSION_REJECT, extensionFieldNames } from '../../cards/actions.js';
import { extensionRequestCard } from '../../cards/extension-request.card.js';
import { sampleExtension } from '../../scripts/card-samples.js';
import { checkCollectedCards, collectCard, snapshotCardSamples } from '../helpers/card-collector.js';
import { buttons, findAll } from '../helpers/card-query.js';

describe('extension request card', () => {
  snapshotCardSamples('extension-request');

  it('shows the old and new dates', () => {
    const card = collectCard('pending', extensionRequestCard(sampleExtension()));
    expect(card.header.title.content).toBe('延期申请 1.2.4');
    expect(card.header.subtitle?.content).toBe('2025-03-31 → 2025-06-30');
  });

  it('lets the secretary approve (with confirmation) or reject with a required reason', () => {
    const card = collectCard('decide', extensionRequestCard(sampleExtension()));
    const value = { requestId: 11, measureId: 7, version: 5 };
    const [approve, reject] = buttons(card);
    expect(approve!.value).toEqual({ action: EXTENSION_APPROVE, ...value });
    // the dialog is certain only on a form's submit: approving is a one-button form
    expect(approve!.confirm).toBeDefined();
    expect(approve!.node.form_action_type).toBe('submit');
    expect(findAll(findAll(card, 'form')[0], 'button')).toEqual([approve!.node]);
    expect(reject!.value).toEqual({ action: EXTENSION_REJECT, ...value });
    const names = extensionFieldNames(11);
    expect(findAll(card, 'form')[1]!.name).toBe(names.rejectForm);
    expect(findAll(card, 'input')[0]).toMatchObject({ name: names.rejectReason, required: true });
  });

  it('has no buttons for someone who may not decide, or once decided', () => {
    expect(buttons(collectCard('viewer', extensionRequestCard(sampleExtension({ canDecide: false }))))).toEqual([]);
    const approved = collectCard('approved', extensionRequestCard(sampleExtension({ status: 'approved', decidedBy: '整改办' })));
    expect(buttons(approved)).toEqual([]);
    expect(approved.header.template).toBe('green');
  });
});

checkCollectedCards();
