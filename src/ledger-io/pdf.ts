import { parseDocumentText } from './document.js';
import { refusedLedger, type ParsedLedger } from './ledger.js';
import type { ParseContext } from './parse-context.js';

/**
 * Text PDFs (published plans and notices) read into the text path with unpdf (pdf.js built to run
 * on Node and Workers alike). PDF text has no paragraphs, only lines: a line that reaches the
 * right margin continues on the next one, a shorter line ends its paragraph. A PDF without a text
 * layer (a scan) is refused: there is no OCR.
 */

interface Line {
  text: string;
  right: number;
  height: number;
}

/** Spaces a PDF puts between Chinese and digits or Latin (2025 年 3 月) are not in the document. */
function joinedCjk(text: string): string {
  const cjk = '\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef\\u201c\\u201d';
  return text.replace(new RegExp(`(?<=[${cjk}])[ \\t]+|[ \\t]+(?=[${cjk}])`, 'g'), '').trim();
}

/** The paragraphs of a PDF's pages, joined across wrapped lines. */
export async function pdfParagraphs(bytes: Uint8Array): Promise<string[]> {
  const { getDocumentProxy } = await import('unpdf');
  // pdf.js takes ownership of the buffer it is given: pass a copy so the caller's bytes stay usable.
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const paragraphs: string[] = [];
  // A paragraph whose last line on a page reaches the margin goes on at the top of the next.
  let paragraph = '';
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const content = await page.getTextContent();
    const lines: Line[] = [];
    let current: Line = { text: '', right: 0, height: 0 };
    for (const item of content.items) {
      if (!('str' in item)) continue;
      current.text += item.str;
      current.right = Math.max(current.right, item.transform[4] + item.width);
      current.height = Math.max(current.height, item.height);
      if (item.hasEOL) {
        lines.push(current);
        current = { text: '', right: 0, height: 0 };
      }
    }
    lines.push(current);
    const texts = lines.filter((l) => l.text.trim() !== '');
    const margin = Math.max(0, ...texts.map((l) => l.right));
    for (const line of texts) {
      paragraph += line.text;
      // Within two characters of the right margin: the line wrapped.
      if (line.right < margin - 2 * (line.height || 12)) {
        paragraphs.push(joinedCjk(paragraph));
        paragraph = '';
      }
    }
  }
  if (paragraph.trim()) paragraphs.push(joinedCjk(paragraph));
  await pdf.cleanup();
  return paragraphs.filter(Boolean);
}

export async function parsePdf(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  let paragraphs: string[];
  try {
    paragraphs = await pdfParagraphs(bytes);
  } catch {
    return refusedLedger('pdf', fileName, { message: '无法读取这个 PDF 文件，请确认文件完整且没有设置打开密码' });
  }
  if (paragraphs.join('').replace(/\s+/g, '') === '') {
    return refusedLedger('pdf', fileName, {
      message: '这个 PDF 文件没有文字层（可能是扫描件或图片），无法识别其中的文字。请发送文字版 PDF，或 Word、Excel 格式的台账',
    });
  }
  return parseDocumentText(paragraphs.join('\n'), { fileName, format: 'pdf' }, ctx);
}
