CREATE TABLE `rechecks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`measure_id` integer NOT NULL,
	`closed_at` text NOT NULL,
	`due_date` text NOT NULL,
	`verifier_open_id` text,
	`notified_on` text,
	`outcome` text,
	`answered_by` text,
	`answered_by_name` text,
	`answered_at` text,
	`reason` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`measure_id`) REFERENCES `measures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rechecks_measure_closure_uq` ON `rechecks` (`measure_id`,`closed_at`);--> statement-breakpoint
CREATE INDEX `rechecks_outcome_idx` ON `rechecks` (`outcome`,`answered_at`);
