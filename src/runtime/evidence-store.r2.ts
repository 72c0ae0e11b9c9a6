/** Evidence files on Workers: objects in the R2 bucket bound as EVIDENCE, keyed by SHA-256. */
import type { EvidenceStore } from '../services/evidence-store.js';

/** The parts of an R2 bucket binding used here (https://developers.cloudflare.com/r2/api/workers/workers-api-reference/). */
export interface R2BucketLike {
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  head(key: string): Promise<unknown>;
}

export const isR2Bucket = (v: unknown): v is R2BucketLike =>
  typeof v === 'object' && v !== null && ['put', 'get', 'head'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function');

export function createR2EvidenceStore(bucket: R2BucketLike): EvidenceStore {
  const keyOf = (sha256: string) => `evidence/${sha256}`;
  return {
    storage: 'r2',
    async put(bytes, meta) {
      const key = keyOf(meta.sha256);
      // An R2 put is atomic (a reader sees the old object or the new one); the same hash is the same bytes.
      if (!(await bucket.head(key))) await bucket.put(key, bytes, { httpMetadata: { contentType: meta.mime } });
      return key;
    },
    async get(key) {
      const object = await bucket.get(key);
      return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
    },
  };
}
