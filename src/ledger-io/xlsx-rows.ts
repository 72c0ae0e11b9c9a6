/**
 * Counts the rows of an .xlsx workbook's sheets without building them: the worksheet XML is
 * inflated as a stream straight from the zip and scanned for rows that hold a value, stopping as
 * soon as a sheet passes the limit. This runs before the workbook is loaded, because loading a
 * sheet of a million rows takes gigabytes; it uses only web-standard APIs (DecompressionStream),
 * so it works on Node and Workers alike.
 */

const EOCD = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;
const SHEET = /^xl\/worksheets\/[^/]+\.xml$/;
const ROW_END = /<\/(?:\w+:)?row>/g;
const HAS_VALUE = /<(?:\w+:)?(?:v|is)[\s>]/;
/** A row longer than this (in characters) is not a ledger row; scanning stops there. */
const MAX_ROW_CHARS = 4 * 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  data: Uint8Array;
}

/** The worksheet entries of a zip, from its central directory; undefined if it is not a readable zip. */
function worksheetEntries(bytes: Uint8Array): ZipEntry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  const names = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_ENTRY) return undefined;
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (!SHEET.test(name)) continue;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_ENTRY) return undefined;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    entries.push({ name, method, data: bytes.subarray(start, start + compressedSize) });
  }
  return entries;
}

/** Rows with at least one value in one worksheet, counted up to `stopAbove` + 1. */
async function countRows(entry: ZipEntry, stopAbove: number): Promise<number> {
  let stream = new Blob([entry.data as Uint8Array<ArrayBuffer>]).stream();
  if (entry.method === 8) stream = stream.pipeThrough(new DecompressionStream('deflate-raw'));
  else if (entry.method !== 0) return 0; // an unknown compression: the workbook loader will say so
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let rows = 0;
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return rows;
      pending += value;
      ROW_END.lastIndex = 0;
      let from = 0;
      for (let m = ROW_END.exec(pending); m; m = ROW_END.exec(pending)) {
        if (HAS_VALUE.test(pending.slice(from, m.index))) rows += 1;
        from = m.index + m[0].length;
        if (rows > stopAbove) return rows;
      }
      pending = pending.slice(from);
      if (pending.length > MAX_ROW_CHARS) return rows;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * The largest number of rows holding values in any worksheet, counted no further than
 * `stopAbove` + 1; undefined when the file is not a zip this scan can read (the workbook loader
 * then reports the problem).
 */
export async function maxSheetRows(bytes: Uint8Array, stopAbove: number): Promise<number | undefined> {
  let entries: ZipEntry[] | undefined;
  try {
    entries = worksheetEntries(bytes);
  } catch {
    return undefined;
  }
  if (!entries) return undefined;
  let most = 0;
  for (const entry of entries) {
    try {
      most = Math.max(most, await countRows(entry, stopAbove));
    } catch {
      // a damaged entry: the workbook loader reports it
    }
    if (most > stopAbove) break;
  }
  return most;
}
