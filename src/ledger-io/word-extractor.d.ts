// word-extractor ships no types; only what the .doc reader uses.
declare module 'word-extractor' {
  interface ExtractedDocument {
    /** the main text: paragraphs end with \n, table cells and rows with \t */
    getBody(options?: { filterUnicode?: boolean }): string;
  }
  export default class WordExtractor {
    extract(source: string | Buffer): Promise<ExtractedDocument>;
  }
}
