/**
 * D1 binds at most 100 parameters per statement ("too many SQL variables" beyond that), so a
 * lookup by a list of keys that can grow with the ledger runs in slices.
 */
export const MAX_BOUND_PARAMS = 100;

/** Runs `query` over slices of `keys` small enough to bind, leaving room for `otherParams`. */
export async function queryInSlices<K, R>(keys: K[], query: (slice: K[]) => Promise<R[]>, otherParams = 0): Promise<R[]> {
  const size = MAX_BOUND_PARAMS - otherParams;
  const rows: R[] = [];
  for (let i = 0; i < keys.length; i += size) rows.push(...(await query(keys.slice(i, i + size))));
  return rows;
}
