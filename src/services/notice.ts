/**
 * A message a service wants someone to receive because of a change (the owner hears that a
 * measure was verified, the secretary hears of an extension request). Services only describe
 * it; the transport renders and delivers it. `key` makes its delivery idempotent.
 */
export interface Notice {
  toOpenId: string;
  text: string;
  key: string;
  /** the measure it concerns */
  measureId?: number;
  /** a card to send after the text: the measure (with the recipient's buttons) or an extension request */
  card?: { kind: 'measure' } | { kind: 'extension'; requestId: number };
}
