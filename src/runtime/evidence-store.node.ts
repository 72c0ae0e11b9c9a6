/** Evidence files on Node: one file per SHA-256 under EVIDENCE_DIR, written whole or not at all. */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceStore } from '../services/evidence-store.js';

const HASH = /^[0-9a-f]{64}$/;

export function createDirectoryEvidenceStore(dir: string): EvidenceStore {
  const pathOf = (key: string) => {
    // The key comes from our own database, but a path is built from it: only a hash is a key.
    if (!HASH.test(key)) throw new Error(`not an evidence key: ${key.slice(0, 80)}`);
    return join(dir, key);
  };
  return {
    storage: 'local',
    async put(bytes, meta) {
      const target = pathOf(meta.sha256);
      if (
        await stat(target).then(
          (s) => s.size === bytes.byteLength,
          () => false,
        )
      )
        return meta.sha256;
      await mkdir(dir, { recursive: true });
      // Written under a temporary name and renamed: a reader (or a crash) never sees half a file,
      // and two deliveries of the same file at once both end with the same whole file.
      const temp = join(dir, `.${meta.sha256}.${randomUUID()}.tmp`);
      try {
        await writeFile(temp, bytes);
        await rename(temp, target);
      } catch (e) {
        await rm(temp, { force: true });
        throw e;
      }
      return meta.sha256;
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}
