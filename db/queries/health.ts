import { sql } from 'drizzle-orm';
import type { Db } from '../database.js';

/** Answers when the database does: for the health check. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.run(sql`select 1`);
}
