/** What a parser needs to know about the campaign the file goes into. */
export interface ParseContext {
  /**
   * YYYY-MM-DD: the campaign's feedback date, or today. Gives the year to deadlines that
   * name none (12月底, 年底前) when the file itself states no year before them.
   */
  referenceDate: string;
  /**
   * The most measures one file may hold (IMPORT_MAX_ROWS). Spreadsheets stop being read soon
   * after their rows pass it; a file above it is refused with nothing kept.
   */
  maxRows?: number;
}
