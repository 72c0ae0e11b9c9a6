/**
 * A message a service wants someone to receive because of a change (the owner hears that a
 * measure was verified, the secretary hears of an extension request). Services only describe
 * it; the transport renders and delivers it. `key` makes its delivery idempotent.
 */
export interface Notice {
  toOpenId: string;
  text: string;
  key: string;
  /** the measure it concerns, so the message can carry its card */
  measureId?: number;
}
