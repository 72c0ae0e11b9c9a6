import { listMeasureCodes } from '../../db/queries/measures-read.js';
import { getMeasureByCode, type MeasureRow } from '../../db/queries/measures-write.js';
import { MEASURE_CODE_EXAMPLE, normalizeMeasureCode } from '../domain/measure-code.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from '../services/errors.js';

/** Whether a word a person typed is a measure code in any written form (2-1-3, ２．１．３, 第2.1.3条). */
export const looksLikeCode = (input: string) => normalizeMeasureCode(input) !== undefined;

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The closest codes to a mistyped one: same prefix first, then edit distance. */
export function nearestCodes(input: string, codes: string[], n = 3): string[] {
  const target = normalizeMeasureCode(input) ?? input.trim();
  return codes
    .map((c) => ({ c, d: distance(target, c) - (c.startsWith(target) || target.startsWith(c) ? 0.5 : 0) }))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, n)
    .map((x) => x.c);
}

/** Finds a measure by the code a person typed; an unknown code lists the nearest ones. */
export async function findMeasureByCode(deps: ServiceDeps, campaignId: number, input: string): Promise<MeasureRow> {
  const code = normalizeMeasureCode(input);
  if (code === undefined) throw new UserError(`“${input}”不是有效的措施编号，编号由数字和点组成，例如 ${MEASURE_CODE_EXAMPLE}。`);
  const measure = await getMeasureByCode(deps.db, { campaignId, code });
  if (measure) return measure;
  const near = nearestCodes(code, await listMeasureCodes(deps.db, campaignId));
  throw new UserError(`没有找到编号为 ${code} 的整改措施。${near.length ? `您是不是要找：${near.join('、')}？` : ''}`);
}
