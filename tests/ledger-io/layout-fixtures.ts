/** The layout fixtures (tests/fixtures/ledger/layouts/) and their expected readings. */
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { unsetDeadlineWarning } from '../../src/ledger-io/deadline.js';
import { fixture, FIXTURES } from './fixtures.js';

export const layout = (name: string): Uint8Array => fixture(`layouts/${name}`);

export interface ExpectedMeasure {
  code: string;
  textPrefix: string;
  leader: string | null;
  department: string | null;
  owner: string | null;
  standard?: string;
  deadline: { kind: 'dated' | 'immediate' | 'ongoing' | 'immediate_ongoing' | 'none'; date: string | null; text: string };
}
export interface ExpectedReading {
  counts: { categories: number; problems: number; measures: number };
  categories: Array<{ code: string; titleIncludes: string | null; problems: Array<{ code: string; titleIncludes: string; measures: ExpectedMeasure[] }> }>;
}

export function expectedReading(name: string): ExpectedReading {
  return JSON.parse(readFileSync(`${FIXTURES}/layouts/${name}.expected.json`, 'utf8')) as ExpectedReading;
}

/** The warning for the one empty 完成时限 cell of word-table-ledger.docx (measure 2.2.2, imported as 时限待定). */
export const EMPTY_DEADLINE_WARNING = unsetDeadlineWarning(1).message;

/** word-table-ledger.docx with its one empty 完成时限 cell filled in, as a later version of the file would state it. */
export async function wordTableLedgerFilled(deadline: string): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(layout('word-table-ledger.docx'));
  const xml = await zip.file('word/document.xml')!.async('string');
  const empty = '<w:t xml:space="preserve"></w:t>';
  if (xml.split(empty).length !== 2) throw new Error('the fixture no longer has exactly one empty cell');
  zip.file('word/document.xml', xml.replace(empty, `<w:t xml:space="preserve">${deadline}</w:t>`));
  return new Uint8Array(await zip.generateAsync({ type: 'uint8array' }));
}
