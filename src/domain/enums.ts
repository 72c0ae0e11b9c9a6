/**
 * The closed sets of values the ledger stores (db/schema.ts declares its columns with them) and
 * labels.ts names in Chinese. Pure data: every layer may import it, cards included.
 */

export const ROLES = ['admin', 'secretary', 'leader', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const DEADLINE_KINDS = ['dated', 'immediate', 'ongoing', 'immediate_ongoing', 'unset'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const MEASURE_STATUSES = ['not_started', 'in_progress', 'submitted', 'closed', 'returned'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const EXTENSION_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];

/** How a ledger file was laid out: rows and columns, a numbered plan, or a notice. */
export const LEDGER_LAYOUTS = ['table', 'numbered', 'notice'] as const;
export type LedgerLayout = (typeof LEDGER_LAYOUTS)[number];

/** How a 回头看 (re-check months after closure) was answered: the result held, or it slipped back. */
export const RECHECK_OUTCOMES = ['held', 'rebounded'] as const;
export type RecheckOutcome = (typeof RECHECK_OUTCOMES)[number];
