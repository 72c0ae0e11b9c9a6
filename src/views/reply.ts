/** What commands and card actions give back: replies to the asker, notices to others. */
import type { CardRef } from '../services/records.js';
import type { Notice } from '../services/notice.js';

/** What a command handler gives back; the transport turns it into an outbox message. */
export type Reply =
  | { kind: 'text'; text: string }
  | {
      kind: 'card';
      card: Record<string, unknown>;
      /** remembered with the sent message, so later changes can update this card */
      cardRef?: CardRef;
    }
  /** a file already uploaded (see CommandContext.upload), sent as a file message */
  | { kind: 'file'; fileKey: string };

/** Replies to the asker, plus notices for other people (the secretary, the owner...). */
export interface CommandOutcome {
  replies: Reply[];
  notices: Notice[];
  /** measures the command changed: their cards already sent are updated in place */
  changed?: number[];
}

export const text = (t: string): Reply => ({ kind: 'text', text: t });
