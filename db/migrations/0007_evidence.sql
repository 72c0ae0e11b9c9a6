-- Evidence (佐证材料) attached to measures: files, images and links. A file is unique per measure by
-- its SHA-256 and a link by its URL, so two deliveries of the same file record it once: the insert
-- decides (ON CONFLICT DO NOTHING), not a read before it. NULLs are distinct in a SQLite unique
-- index, so links (no hash) and files (no URL) do not collide with each other.
CREATE TABLE `evidence` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`measure_id` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`size` integer,
	`mime` text,
	`sha256` text,
	`storage` text,
	`storage_key` text,
	`message_id` text,
	`file_key` text,
	`url` text,
	`source` text NOT NULL,
	`added_by_person_id` integer,
	`added_by_name` text,
	`added_by_open_id` text,
	`added_at` text NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`measure_id`) REFERENCES `measures`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evidence_measure_sha256_uq` ON `evidence` (`measure_id`,`sha256`);--> statement-breakpoint
CREATE UNIQUE INDEX `evidence_measure_url_uq` ON `evidence` (`measure_id`,`url`);--> statement-breakpoint
CREATE INDEX `evidence_campaign_measure_idx` ON `evidence` (`campaign_id`,`measure_id`,`added_at`);--> statement-breakpoint
-- A person's pending "the next files are evidence for this measure" (/evidence 编号 or 上传佐证), one per person.
CREATE TABLE `evidence_sessions` (
	`open_id` text PRIMARY KEY NOT NULL,
	`measure_id` integer NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`measure_id`) REFERENCES `measures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- The secretary's decision that a measure may be closed without evidence, with the reason.
CREATE TABLE `evidence_waivers` (
	`measure_id` integer PRIMARY KEY NOT NULL,
	`waived_by` text NOT NULL,
	`waived_by_name` text,
	`reason` text NOT NULL,
	`waived_at` text NOT NULL,
	FOREIGN KEY (`measure_id`) REFERENCES `measures`(`id`) ON UPDATE no action ON DELETE no action
);
