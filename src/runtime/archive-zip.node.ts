/**
 * Writes the evidence archive as a zip with yazl, as a stream: entries made in memory (the
 * records, the workbook, the notice) are small; stored evidence files are opened one at a time,
 * when the zip reaches them, and piped through, so an archive of any size never sits in memory.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { ArchiveEntry, ArchiveZipper } from '../ledger-io/archive.js';

const HASH = /^[0-9a-f]{64}$/;
/** Formats already compressed: deflating them again costs time and saves nothing, so they are stored. */
const COMPRESSED = /\.(jpe?g|png|gif|webp|heic|mp4|mov|m4a|mp3|zip|rar|7z|gz|docx|xlsx|pptx|pdf|ofd)$/i;

export class ArchiveTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`archive larger than ${maxBytes} bytes`);
    this.name = 'ArchiveTooLargeError';
  }
}

export interface ZipOutcome {
  entries: number;
  /** bytes written */
  bytes: number;
  /** evidence files that could not be read from the store (a note stands in their place) */
  missing: string[];
}

/** The file behind a stored entry, when this process can read it. */
async function storedPath(entry: Extract<ArchiveEntry, { stored: unknown }>, evidenceDir: string): Promise<string | undefined> {
  const { storage, key } = entry.stored;
  // The key comes from our database, but a path is built from it: only a hash is a key.
  if (storage !== 'local' || !HASH.test(key)) return undefined;
  const path = join(evidenceDir, key);
  return (await stat(path).then(
    (s) => s.isFile(),
    () => false,
  ))
    ? path
    : undefined;
}

const MISSING_NOTE = (entry: Extract<ArchiveEntry, { stored: unknown }>) =>
  `该佐证材料的文件未能从存储中读取（${entry.stored.storage === 'r2' ? '存于 R2，请在 Cloudflare 上取回' : '文件缺失'}）。\nSHA-256：${entry.stored.sha256 ?? '未知'}\n`;

/**
 * Streams the archive into `out`. With `maxBytes`, stops with ArchiveTooLargeError as soon as the
 * zip grows past it (the chat's file limit), having written at most that much.
 */
export async function writeArchiveZip(
  entries: ArchiveEntry[],
  out: Writable,
  o: { evidenceDir: string; maxBytes?: number; mtime?: Date },
): Promise<ZipOutcome> {
  const zip = new yazl.ZipFile();
  const mtime = o.mtime ?? new Date();
  const missing: string[] = [];
  for (const entry of entries) {
    if ('bytes' in entry) {
      zip.addBuffer(Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength), entry.path, { mtime });
      continue;
    }
    const path = await storedPath(entry, o.evidenceDir);
    if (!path) {
      missing.push(entry.path);
      zip.addBuffer(Buffer.from(MISSING_NOTE(entry)), `${entry.path}.缺失说明.txt`, { mtime });
      continue;
    }
    // Opened when the zip reaches it: one file handle at a time, whatever the number of files.
    zip.addReadStreamLazy(entry.path, { mtime, compress: !COMPRESSED.test(entry.path) }, (cb) => cb(null, createReadStream(path)));
  }
  zip.end();
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (o.maxBytes !== undefined && bytes > o.maxBytes) return done(new ArchiveTooLargeError(o.maxBytes));
      done(null, chunk);
    },
  });
  await pipeline(zip.outputStream, count, out);
  return { entries: entries.length, bytes, missing };
}

/** The zipper the Node entry hands to the chat command: the archive's bytes, or undefined when too large. */
export function createArchiveZipper(evidenceDir: string): ArchiveZipper {
  return async (entries, maxBytes) => {
    try {
      return (await archiveZipBytes(entries, { evidenceDir, maxBytes })).bytes;
    } catch (e) {
      if (e instanceof ArchiveTooLargeError) return undefined;
      throw e;
    }
  };
}

/** The archive in memory, for a chat file: only when it fits `maxBytes` (else ArchiveTooLargeError). */
export async function archiveZipBytes(
  entries: ArchiveEntry[],
  o: { evidenceDir: string; maxBytes: number; mtime?: Date },
): Promise<{ bytes: Uint8Array; outcome: ZipOutcome }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const outcome = await writeArchiveZip(entries, sink, o);
  return { bytes: new Uint8Array(Buffer.concat(chunks)), outcome };
}
