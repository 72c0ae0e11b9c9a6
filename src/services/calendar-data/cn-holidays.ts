/**
 * China's official working-day arrangement (放假调休): statutory holidays and the make-up
 * working days (调休上班) published each year by the General Office of the State Council
 * (国务院办公厅关于 YYYY 年部分节假日安排的通知), one entry per notice.
 *
 * Sources: the notices linked in `notice` (gov.cn), cross-checked against the maintained
 * data set NateScarlet/holiday-cn (2024.json, 2025.json, 2026.json at commit d4e53bf2).
 *
 * Updating: each autumn, when the next year's notice is published, add the year here (dates as
 * YYYY-MM-DD, ranges as "first..last", both inclusive). Until then a deployment can supply the
 * arrangement through HOLIDAY_OVERRIDES; a year known to neither falls back to Monday–Friday.
 * Kept as a module (not a JSON file) so it loads on Workers, which have no file system.
 */

export interface FestivalArrangement {
  name: string;
  /** days off: single dates or inclusive ranges "YYYY-MM-DD..YYYY-MM-DD" */
  off: string[];
  /** weekend days that are working days (调休上班) */
  work: string[];
}

export interface HolidayYear {
  notice: string;
  festivals: FestivalArrangement[];
}

export const CN_HOLIDAYS: Readonly<Record<number, HolidayYear>> = {
  2024: {
    notice: 'https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm',
    festivals: [
      { name: '元旦', off: ['2024-01-01'], work: [] },
      { name: '春节', off: ['2024-02-10..2024-02-17'], work: ['2024-02-04', '2024-02-18'] },
      { name: '清明节', off: ['2024-04-04..2024-04-06'], work: ['2024-04-07'] },
      { name: '劳动节', off: ['2024-05-01..2024-05-05'], work: ['2024-04-28', '2024-05-11'] },
      { name: '端午节', off: ['2024-06-10'], work: [] },
      { name: '中秋节', off: ['2024-09-15..2024-09-17'], work: ['2024-09-14'] },
      { name: '国庆节', off: ['2024-10-01..2024-10-07'], work: ['2024-09-29', '2024-10-12'] },
    ],
  },
  2025: {
    notice: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
    festivals: [
      { name: '元旦', off: ['2025-01-01'], work: [] },
      { name: '春节', off: ['2025-01-28..2025-02-04'], work: ['2025-01-26', '2025-02-08'] },
      { name: '清明节', off: ['2025-04-04..2025-04-06'], work: [] },
      { name: '劳动节', off: ['2025-05-01..2025-05-05'], work: ['2025-04-27'] },
      { name: '端午节', off: ['2025-05-31..2025-06-02'], work: [] },
      { name: '国庆节、中秋节', off: ['2025-10-01..2025-10-08'], work: ['2025-09-28', '2025-10-11'] },
    ],
  },
  2026: {
    notice: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
    festivals: [
      { name: '元旦', off: ['2026-01-01..2026-01-03'], work: ['2026-01-04'] },
      { name: '春节', off: ['2026-02-15..2026-02-23'], work: ['2026-02-14', '2026-02-28'] },
      { name: '清明节', off: ['2026-04-04..2026-04-06'], work: [] },
      { name: '劳动节', off: ['2026-05-01..2026-05-05'], work: ['2026-05-09'] },
      { name: '端午节', off: ['2026-06-19..2026-06-21'], work: [] },
      { name: '国庆节', off: ['2026-10-01..2026-10-07'], work: ['2026-09-20', '2026-10-10'] },
      { name: '中秋节', off: ['2026-09-25..2026-09-27'], work: [] },
    ],
  },
};
