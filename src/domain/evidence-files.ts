/**
 * What counts as evidence (佐证材料) and how it reads: the file types accepted, their MIME types,
 * sizes in words, and links found in text. One home for every door: chat, cards, export.
 */

/** Accepted file types by extension, in the groups the refusal names. */
export const EVIDENCE_TYPE_GROUPS = {
  文档: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'wps', 'et', 'txt', 'ofd'],
  图片: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'heic'],
  压缩包: ['zip', 'rar', '7z'],
} as const;

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  wps: 'application/vnd.ms-works',
  et: 'application/vnd.ms-excel',
  txt: 'text/plain',
  ofd: 'application/ofd',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  heic: 'image/heic',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
};

const IMAGE_EXTENSIONS: readonly string[] = EVIDENCE_TYPE_GROUPS.图片;

/** The accepted types in words, for refusals and help: 文档（pdf、doc…）、图片（…）、压缩包（…）. */
export const EVIDENCE_TYPES_TEXT = Object.entries(EVIDENCE_TYPE_GROUPS)
  .map(([group, exts]) => `${group}（${exts.join('、')}）`)
  .join('、');

export const extensionOf = (fileName: string): string => /\.([^./\\]+)$/.exec(fileName.trim().toLowerCase())?.[1] ?? '';

/** The accepted file's kind and MIME type, or undefined when its type is not accepted. */
export function evidenceTypeOf(fileName: string): { kind: 'file' | 'image'; mime: string } | undefined {
  const ext = extensionOf(fileName);
  const mime = MIME[ext];
  if (!mime) return undefined;
  return { kind: IMAGE_EXTENSIONS.includes(ext) ? 'image' : 'file', mime };
}

/** 512 B, 3.4 KB, 20.0 MB: sizes as people read them. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The largest URL kept as link evidence; a longer one is almost certainly not a document link. */
export const EVIDENCE_URL_MAX = 2000;

/** http(s) links in free text, as typed (trailing Chinese or closing punctuation left out), each once. */
export function linksIn(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'，。；：！？、）】》“”‘’]+/gi) ?? [];
  const cleaned = found.map((u) => u.replace(/[.,;:!?)\]}]+$/, '')).filter((u) => u.length <= EVIDENCE_URL_MAX && URL.canParse(u));
  return [...new Set(cleaned)];
}

/** A single link as typed into a form field, or undefined when it is not an http(s) URL. */
export function parseLink(text: string): string | undefined {
  const t = text.trim();
  if (!/^https?:\/\//i.test(t) || t.length > EVIDENCE_URL_MAX || /\s/.test(t) || !URL.canParse(t)) return undefined;
  return t;
}

/** An image message's format from its first bytes (its name is not sent); jpg when unknown. */
export function imageExtensionOf(bytes: Uint8Array): string {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpg';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 2) === 'BM') return 'bmp';
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|mif1|msf1)$/.test(ascii(8, 12))) return 'heic';
  return 'jpg';
}
