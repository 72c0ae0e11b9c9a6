/**
 * Plans written in Traditional characters are read as Simplified before any layout is
 * recognised. The converter's dictionaries are large, so they load only for a text that
 * looks Traditional, once, and only the Traditional -> Simplified half (opencc-js/t2cn).
 */

/** Common characters that exist only in Traditional writing (Simplified text never has them). */
const TRADITIONAL_ONLY =
  /[這們個來為會於國說時對學與發經關題導實進現開體機區書設計業務決責單組織黨領風財幹員級報應議總規範據檢層條項將識問習確併並從後動參嚴屬觀點劃]/gu;

/**
 * True when a text has enough Traditional-only characters to be Traditional, not a Simplified
 * text quoting a name or a motto (in Traditional prose one character in four or five is one of them).
 */
export function looksTraditional(text: string): boolean {
  const sample = text.slice(0, 20_000);
  const hits = sample.match(TRADITIONAL_ONLY)?.length ?? 0;
  const cjk = sample.match(/\p{Script=Han}/gu)?.length ?? 0;
  return hits >= 3 && hits * 10 >= cjk;
}

type Convert = (text: string) => string;
let converter: Promise<Convert> | undefined;

function loadConverter(): Promise<Convert> {
  // 'tw' also reads Hong Kong and generic Traditional text: the variants differ in few characters.
  converter ??= import('opencc-js/t2cn').then((m) => m.Converter({ from: 'tw', to: 'cn' }));
  return converter;
}

/** The text in Simplified characters and mainland quotation marks; a Simplified text comes back as it was. */
export async function toSimplified(text: string): Promise<string> {
  if (!looksTraditional(text)) return text;
  const convert = await loadConverter();
  return convert(text).replace(/「/g, '“').replace(/」/g, '”').replace(/『/g, '‘').replace(/』/g, '’');
}
