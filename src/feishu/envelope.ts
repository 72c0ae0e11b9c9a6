import { z } from 'zod';
import type { IncomingEvent } from '../dispatch/incoming-events.js';

export type { IncomingEvent };

/** The platform's envelopes (1.0 and 2.0, the URL challenge), parsed at the boundary. */

export const ChallengeSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string(),
  token: z.string().optional(),
});

const V2Schema = z.object({
  schema: z.literal('2.0'),
  header: z.object({
    event_id: z.string().min(1),
    event_type: z.string().min(1),
    token: z.string().optional(),
    create_time: z.string().optional(),
    app_id: z.string().optional(),
    tenant_key: z.string().optional(),
  }),
  event: z.record(z.string(), z.unknown()).default({}),
});

const V1Schema = z.object({
  uuid: z.string().min(1),
  token: z.string().optional(),
  ts: z.string().optional(),
  type: z.literal('event_callback'),
  event: z.object({ type: z.string().min(1) }).catchall(z.unknown()),
});

/** create_time comes as 13 (ms) or 16 (µs) digits depending on the event; the 1.0 `ts` as seconds with a fraction. */
export function parseCreateTime(v: string | undefined): Date | undefined {
  if (v && /^\d{1,10}\.\d+$/.test(v)) return new Date(Number(v) * 1000);
  if (!v || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  const ms = v.length >= 16 ? n / 1000 : v.length <= 10 ? n * 1000 : n;
  return new Date(ms);
}

export function parseEnvelope(body: unknown): IncomingEvent | undefined {
  const v2 = V2Schema.safeParse(body);
  if (v2.success) {
    const h = v2.data.header;
    return { id: h.event_id, type: h.event_type, token: h.token, createdAt: parseCreateTime(h.create_time), event: v2.data.event };
  }
  const v1 = V1Schema.safeParse(body);
  if (v1.success) {
    return { id: v1.data.uuid, type: v1.data.event.type, token: v1.data.token, createdAt: parseCreateTime(v1.data.ts), event: v1.data.event };
  }
  return undefined;
}
