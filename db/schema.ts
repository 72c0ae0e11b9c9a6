import { sql, type SQL } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { DEADLINE_KINDS, EXTENSION_STATUSES, MEASURE_STATUSES, RECHECK_OUTCOMES, ROLES } from '../src/domain/enums.js';
import { CODE_LEVELS } from '../src/domain/measure-code.js';

/**
 * The ledger and the plumbing around it. Times are stored as ISO-8601 UTC strings;
 * calendar dates (deadlines) as YYYY-MM-DD in the campaign's time zone.
 */

const createdAt = () => text('created_at').notNull();

/** One inspection's rectification work (e.g. 市委第二巡察组 feedback of 2024-09-14). */
export const campaigns = sqliteTable('campaigns', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  source: text('source'),
  feedbackDate: text('feedback_date'),
  timezone: text('timezone'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: createdAt(),
});

export const departments = sqliteTable('departments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    openId: text('open_id').unique(),
    name: text('name'),
    /** email or mobile, as given in the ledger */
    contact: text('contact'),
    departmentId: integer('department_id').references(() => departments.id),
    createdAt: createdAt(),
  },
  (t) => [index('people_name_idx').on(t.name)],
);

export const personRoles = sqliteTable(
  'person_roles',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    role: text('role', { enum: ROLES }).notNull(),
    grantedBy: text('granted_by'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.role] })],
);

export const categories = sqliteTable(
  'categories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    ordinal: integer('ordinal').notNull(),
    title: text('title').notNull(),
  },
  (t) => [uniqueIndex('categories_campaign_ordinal_uq').on(t.campaignId, t.ordinal)],
);

export const problems = sqliteTable(
  'problems',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    ordinal: integer('ordinal').notNull(),
    title: text('title').notNull(),
  },
  (t) => [uniqueIndex('problems_category_ordinal_uq').on(t.categoryId, t.ordinal)],
);

/**
 * The order of measure codes in SQL, as compareMeasureCodes (src/domain/measure-code.ts) orders
 * them in JavaScript: each level as a number (1.10 after 1.9), a missing level first (2.1 before
 * 2.1.1), then the text. Lists order by
 * these expressions and measures_campaign_due_idx indexes them, so they must stay identical.
 * Codes are digits and dots (the import normalises them); anything else is ordered by its text
 * alone, so that no stored code can make the expression (and with it an insert) fail.
 */
export function codeOrderOf(code: SQLiteColumn): SQL[] {
  const levels = sql`'["' || replace(${code}, '.', '","') || '"]'`;
  const level = (i: number) => sql`case when ${code} not glob '*[^0-9.]*' then cast(json_extract(${levels}, ${sql.raw(`'$[${i}]'`)}) as integer) end`;
  return [...Array.from({ length: CODE_LEVELS }, (_, i) => level(i)), sql`${code}`];
}

export const measures = sqliteTable(
  'measures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    problemId: integer('problem_id')
      .notNull()
      .references(() => problems.id),
    /** digits and dots, e.g. 2.1.3; unique within the campaign */
    code: text('code').notNull(),
    text: text('text').notNull(),
    leadDepartmentId: integer('lead_department_id').references(() => departments.id),
    coDepartments: text('co_departments'),
    leaderName: text('leader_name'),
    leaderPersonId: integer('leader_person_id').references(() => people.id),
    ownerPersonId: integer('owner_person_id').references(() => people.id),
    /** the owner as written in the source, kept until a Feishu user is assigned */
    ownerName: text('owner_name'),
    ownerContact: text('owner_contact'),
    deadlineKind: text('deadline_kind', { enum: DEADLINE_KINDS }).notNull(),
    /** the deadline exactly as written, e.g. 2025年3月底前 */
    deadlineText: text('deadline_text'),
    dueDate: text('due_date'),
    /** the first due date, kept when an extension moves due_date */
    originalDueDate: text('original_due_date'),
    completionStandard: text('completion_standard'),
    status: text('status', { enum: MEASURE_STATUSES }).notNull().default('not_started'),
    percent: integer('percent').notNull().default(0),
    verifiedBy: text('verified_by'),
    verifiedAt: text('verified_at'),
    /** set when a re-import no longer contains this measure; never deleted */
    missingFromSource: integer('missing_from_source', { mode: 'boolean' }).notNull().default(false),
    /** bumped on every change; cards carry it to detect stale actions */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('measures_campaign_code_uq').on(t.campaignId, t.code),
    index('measures_owner_idx').on(t.ownerPersonId),
    index('measures_department_idx').on(t.leadDepartmentId),
    index('measures_due_idx').on(t.dueDate),
    // Lists and /status (0003_list_indexes): counts per department and status, due-date ranges in
    // date-then-code order (no sort), a person's measures, a category's measures.
    index('measures_campaign_department_idx').on(t.campaignId, t.missingFromSource, t.leadDepartmentId, t.status, t.deadlineKind, t.dueDate),
    index('measures_campaign_due_idx').on(t.campaignId, t.missingFromSource, t.dueDate, ...codeOrderOf(t.code), t.status, t.deadlineKind),
    index('measures_campaign_owner_idx').on(t.campaignId, t.missingFromSource, t.ownerPersonId),
    index('measures_campaign_problem_idx').on(t.campaignId, t.missingFromSource, t.problemId),
  ],
);

export const REPORT_SOURCES = ['command', 'card', 'import', 'system'] as const;

export const progressReports = sqliteTable(
  'progress_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    measureId: integer('measure_id')
      .notNull()
      .references(() => measures.id),
    authorPersonId: integer('author_person_id').references(() => people.id),
    authorName: text('author_name'),
    text: text('text').notNull(),
    percent: integer('percent'),
    source: text('source', { enum: REPORT_SOURCES }).notNull(),
    /** the event that caused it: a redelivered event cannot record a second report */
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: createdAt(),
  },
  (t) => [index('progress_reports_measure_idx').on(t.measureId, t.createdAt)],
);

export const EVIDENCE_KINDS = ['file', 'image', 'link'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
/** Where a file's bytes are: the Node data folder, the Workers R2 bucket, or only in Feishu (a reference). */
export const EVIDENCE_STORAGES = ['local', 'r2', 'feishu_ref'] as const;
export type EvidenceStorage = (typeof EVIDENCE_STORAGES)[number];
/** How it arrived: after /evidence or 上传佐证, picked on the "which measure" card, a link in a report or the report form. */
export const EVIDENCE_SOURCES = ['session', 'pick', 'report', 'form'] as const;

/**
 * Evidence (佐证材料) of a measure (0007_evidence). A file is unique per measure by its SHA-256 and
 * a link by its URL, so a file delivered twice (or twice at once) is one row: the insert decides.
 */
export const evidence = sqliteTable(
  'evidence',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    measureId: integer('measure_id')
      .notNull()
      .references(() => measures.id),
    kind: text('kind', { enum: EVIDENCE_KINDS }).notNull(),
    /** the file name as sent, or the link's text (its URL when it has none) */
    name: text('name').notNull(),
    size: integer('size'),
    mime: text('mime'),
    sha256: text('sha256'),
    /** null for links */
    storage: text('storage', { enum: EVIDENCE_STORAGES }),
    /** local: the file name under EVIDENCE_DIR; r2: the object key (both the sha256) */
    storageKey: text('storage_key'),
    /** the Feishu message that carried the file and its file_key/image_key: the file stays fetchable there */
    messageId: text('message_id'),
    fileKey: text('file_key'),
    url: text('url'),
    source: text('source', { enum: EVIDENCE_SOURCES }).notNull(),
    addedByPersonId: integer('added_by_person_id').references(() => people.id),
    addedByName: text('added_by_name'),
    addedByOpenId: text('added_by_open_id'),
    addedAt: text('added_at').notNull(),
  },
  (t) => [
    uniqueIndex('evidence_measure_sha256_uq').on(t.measureId, t.sha256),
    uniqueIndex('evidence_measure_url_uq').on(t.measureId, t.url),
    index('evidence_campaign_measure_idx').on(t.campaignId, t.measureId, t.addedAt),
  ],
);

/** A person's pending "the next files are evidence for this measure" (one per person, expires). */
export const evidenceSessions = sqliteTable('evidence_sessions', {
  openId: text('open_id').primaryKey(),
  measureId: integer('measure_id')
    .notNull()
    .references(() => measures.id),
  expiresAt: text('expires_at').notNull(),
  createdAt: createdAt(),
});

/** The secretary's decision that a measure may be closed without evidence (免于佐证), with the reason. */
export const evidenceWaivers = sqliteTable('evidence_waivers', {
  measureId: integer('measure_id')
    .primaryKey()
    .references(() => measures.id),
  /** open_id of the secretary */
  waivedBy: text('waived_by').notNull(),
  waivedByName: text('waived_by_name'),
  reason: text('reason').notNull(),
  waivedAt: text('waived_at').notNull(),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    measureId: integer('measure_id').references(() => measures.id),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    /** open_id of the person, or 'system' / 'import' */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    note: text('note'),
    at: text('at').notNull(),
  },
  (t) => [index('audit_log_measure_idx').on(t.measureId, t.at)],
);

export const extensionRequests = sqliteTable(
  'extension_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    measureId: integer('measure_id')
      .notNull()
      .references(() => measures.id),
    requestedBy: integer('requested_by').references(() => people.id),
    oldDueDate: text('old_due_date'),
    newDueDate: text('new_due_date').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: EXTENSION_STATUSES }).notNull().default('pending'),
    decidedBy: integer('decided_by').references(() => people.id),
    decisionNote: text('decision_note'),
    decidedAt: text('decided_at'),
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: createdAt(),
  },
  (t) => [index('extension_requests_measure_idx').on(t.measureId, t.status)],
);

/**
 * 回头看: a closed measure re-checked months after its closure (RECHECK_AFTER_MONTHS). One row
 * per closure (a measure reopened and closed again gets a new one), written by the daily job
 * when the card goes out and answered once: the result held, or it rebounded and was reopened.
 */
export const rechecks = sqliteTable(
  'rechecks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    measureId: integer('measure_id')
      .notNull()
      .references(() => measures.id),
    /** the closure re-checked: measures.verified_at when it was closed */
    closedAt: text('closed_at').notNull(),
    /** the working day it fell due (YYYY-MM-DD, local) */
    dueDate: text('due_date').notNull(),
    /** who verified the closure, from the audit log (null when it was closed by an import) */
    verifierOpenId: text('verifier_open_id'),
    /** the day the card went out; a re-run of that day sends the same messages again (same uuids) */
    notifiedOn: text('notified_on'),
    outcome: text('outcome', { enum: RECHECK_OUTCOMES }),
    /** open_id and name of whoever answered */
    answeredBy: text('answered_by'),
    answeredByName: text('answered_by_name'),
    answeredAt: text('answered_at'),
    /** why it rebounded */
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('rechecks_measure_closure_uq').on(t.measureId, t.closedAt), index('rechecks_outcome_idx').on(t.outcome, t.answeredAt)],
);

export const CHAT_PURPOSES = ['leading_group'] as const;

export const chatBindings = sqliteTable(
  'chat_bindings',
  {
    chatId: text('chat_id').notNull(),
    purpose: text('purpose', { enum: CHAT_PURPOSES }).notNull(),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    boundBy: text('bound_by'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.purpose] })],
);

/** Which campaign a chat is looking at (a secretary may switch it with /campaign). */
export const chatSettings = sqliteTable('chat_settings', {
  chatId: text('chat_id').primaryKey(),
  activeCampaignId: integer('active_campaign_id').references(() => campaigns.id),
  updatedAt: text('updated_at').notNull(),
});

export const INBOX_STATUSES = ['pending', 'processing', 'done', 'failed'] as const;

/** Every accepted Feishu event, stored before the ack and processed after it. */
export const inboxEvents = sqliteTable(
  'inbox_events',
  {
    eventId: text('event_id').primaryKey(),
    /** im.message.receive_v1 is also deduplicated on its message id */
    messageId: text('message_id').unique(),
    eventType: text('event_type').notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: INBOX_STATUSES }).notNull().default('pending'),
    /** counted at claim, so an attempt the process did not survive counts too */
    attempts: integer('attempts').notNull().default(0),
    claimedAt: text('claimed_at'),
    /** the work holder (a running process) that claimed it; null for a lease-only claim (Workers) */
    claimedBy: text('claimed_by'),
    lastError: text('last_error'),
    receivedAt: text('received_at').notNull(),
    processedAt: text('processed_at'),
    /** when the event was parked as failed (attempts exhausted) */
    failedAt: text('failed_at'),
  },
  (t) => [index('inbox_events_status_idx').on(t.status, t.receivedAt)],
);

export const OUTBOX_KINDS = ['create', 'reply', 'patch', 'card_update'] as const;
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Every outgoing message, written before it is delivered. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** deterministic, at most 50 characters, sent to Feishu so a retry never double-posts */
    uuid: text('uuid').notNull().unique(),
    kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
    /** open_id | chat_id | email | message_id (reply and patch) */
    receiveIdType: text('receive_id_type').notNull(),
    receiveId: text('receive_id').notNull(),
    msgType: text('msg_type').notNull(),
    content: text('content').notNull(),
    /** a readable one-line rendering for logs and dry runs */
    preview: text('preview').notNull(),
    /** what the message is about, e.g. reminder:2025-10-09 (jobs find their messages by it) */
    topic: text('topic'),
    /** for a card: what it shows and for whom, remembered in card_messages once it is sent */
    cardRef: text('card_ref', { mode: 'json' }).$type<CardRef>(),
    /** the chat or person the platform's 5/s limit applies to (a reply counts against its chat) */
    rateKey: text('rate_key'),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    /** counted at claim, so a send the process did not survive counts too */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    claimedAt: text('claimed_at'),
    /** the work holder (a running process) that claimed it; null for a lease-only claim (Workers) */
    claimedBy: text('claimed_by'),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: createdAt(),
    sentAt: text('sent_at'),
    /** when the message was given up as failed */
    failedAt: text('failed_at'),
  },
  (t) => [index('outbox_status_due_idx').on(t.status, t.nextAttemptAt), index('outbox_topic_idx').on(t.topic)],
);

/**
 * Processes that claim inbox and outbox work on this database (Node: the service, CLI jobs).
 * A holder beats its heartbeat every second; its claims are taken over once it has stopped
 * (marked on shutdown, or found dead) or its heartbeat is older than the holder timeout.
 */
export const workHolders = sqliteTable('work_holders', {
  id: text('id').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: text('started_at').notNull(),
  heartbeatAt: text('heartbeat_at').notNull(),
  stoppedAt: text('stopped_at'),
});

/** What a sent card shows (its kind, the measure) and what it was drawn for (viewer, shared, page...). */
export type CardRef = { kind: string; measureId?: number; context?: Record<string, unknown> };

/** Cards sent for a measure, so later changes can update them in place. */
export const cardMessages = sqliteTable(
  'card_messages',
  {
    messageId: text('message_id').primaryKey(),
    measureId: integer('measure_id').references(() => measures.id),
    /** the card kind (measure, extension, import_preview...) */
    kind: text('kind').notNull(),
    /** what the card was rendered for (viewer open_id, page, import batch...) as JSON */
    context: text('context', { mode: 'json' }),
    chatId: text('chat_id'),
    sentAt: text('sent_at').notNull(),
  },
  (t) => [index('card_messages_measure_idx').on(t.measureId)],
);

/** Scheduled job periods: a completed period never runs again. */
export const jobRuns = sqliteTable('job_runs', {
  periodKey: text('period_key').primaryKey(),
  job: text('job').notNull(),
  status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
  summary: text('summary', { mode: 'json' }),
});

/** A parsed import waiting for the secretary's confirmation in chat. */
export const pendingImports = sqliteTable('pending_imports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  openId: text('open_id').notNull(),
  fileName: text('file_name').notNull(),
  campaignName: text('campaign_name'),
  payload: text('payload').notNull(),
  status: text('status', { enum: ['pending', 'confirmed', 'cancelled'] })
    .notNull()
    .default('pending'),
  createdAt: createdAt(),
});

/** Small facts the service keeps between runs (e.g. the bot's own open_id). */
export const kv = sqliteTable('kv', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull().default(sql`CURRENT_TIMESTAMP`),
});
