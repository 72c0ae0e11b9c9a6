/** Ledger files of any size, generated in the test rather than committed. */
import ExcelJS from 'exceljs';

export const LEDGER_HEADER = ['编号', '问题类别', '问题', '整改措施', '责任部门', '整改时限'];

/** One measure per row: ten measures per problem, a hundred problems per category. */
export function ledgerRows(measures: number): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < measures; i++) {
    const c = 1 + Math.floor(i / 1000);
    const p = 1 + Math.floor((i % 1000) / 10);
    const m = 1 + (i % 10);
    rows.push([`${c}.${p}.${m}`, `类别${c}`, `问题${c}-${p}`, `第${i + 1}条措施：落实整改要求并建立长效机制`, `部门${i % 20}`, '2025年12月31日']);
  }
  return rows;
}

export function ledgerCsv(measures: number): Uint8Array {
  return new TextEncoder().encode([LEDGER_HEADER, ...ledgerRows(measures)].map((r) => r.join(',')).join('\n'));
}

export async function ledgerXlsx(measures: number): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('整改台账');
  ws.addRow(LEDGER_HEADER);
  for (const r of ledgerRows(measures)) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
