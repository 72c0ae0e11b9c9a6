import type { Db } from '../db/database.js';
import type { Clock } from './clock.js';
import type { AppConfig } from './config.js';
import type { FeishuClient } from './port/feishu-client.js';
import type { FeishuCrypto } from './feishu/crypto.js';
import type { AckFirstQueue } from './feishu/ack-first-queue.js';
import type { OutboxDelivery } from './feishu/outbox.js';
import type { LedgerParser } from './ledger-io/parse.js';
import type { Logger } from './logger.js';
import type { EvidenceStore } from './services/evidence-store.js';
import type { ArchiveZipper } from './ledger-io/archive.js';

/** Everything below the entry files receives its world through this. */
export interface Deps {
  config: AppConfig;
  db: Db;
  feishu: FeishuClient;
  clock: Clock;
  log: Logger;
  /** Runs work after the response (Workers: waitUntil; Node: a tracked promise). */
  defer(task: () => Promise<unknown>): void;
  outbox: OutboxDelivery;
  /** webhook crypto; WebCrypto when absent (the Node entry passes node:crypto) */
  crypto?: FeishuCrypto;
  /** reads ledger files; parsed in place when absent (the Node entry passes a worker-thread parser) */
  parseLedger?: LedgerParser;
  /**
   * The id under which this process claims work (Node: a holder with a heartbeat, whose claims
   * are taken over as soon as it dies). Absent on Workers, where claims expire by lease only.
   */
  holderId?: string;
  /** where evidence files are kept; absent: only a reference is kept, the file stays in Feishu (Workers without R2) */
  evidenceStore?: EvidenceStore;
  /** zips the evidence archive for a chat file (Node); absent on Workers, where archives are made on the Node server */
  zipArchive?: ArchiveZipper;
  /** runs stored events after the ack, acks first (Node); absent on Workers: each event runs in its own waitUntil */
  inboxQueue?: AckFirstQueue;
}

/** The part of Deps the domain services need: no transport. */
export type ServiceDeps = Pick<Deps, 'db' | 'clock' | 'log' | 'config' | 'parseLedger' | 'evidenceStore'>;
