/**
 * Where evidence files are kept: a port the entry files fill (Node: a folder, src/runtime/
 * evidence-store.node.ts; Workers: an R2 bucket, src/runtime/evidence-store.r2.ts). Without one
 * (Workers with no R2 binding) only a reference is kept and the file stays in Feishu.
 * Files are content-addressed: the key is derived from the SHA-256, so the same bytes are kept once.
 */
export interface EvidenceStore {
  readonly storage: 'local' | 'r2';
  /** Keeps the bytes (idempotent for the same hash); returns the key to read them back with. */
  put(bytes: Uint8Array, meta: { sha256: string; name: string; mime: string }): Promise<string>;
  /** The bytes kept under the key, or undefined when they are gone. */
  get(key: string): Promise<Uint8Array | undefined>;
}

/** SHA-256 as lowercase hex (Web Crypto: the same on Node and Workers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
