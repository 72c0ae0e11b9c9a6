/**
 * The records services hand to the layers above (commands, views, dispatch), so those never
 * import the database layer, even for a type.
 */
export type { Actor, Person } from '../../db/queries/people.js';
export type { MeasureRow } from '../../db/queries/measures-write.js';
export type { CampaignRow } from '../../db/queries/measures-read.js';
export type { PendingImport } from '../../db/queries/pending-imports.js';
export type { CardRef, MeasureStatus, Role } from '../../db/schema.js';
