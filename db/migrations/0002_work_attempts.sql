ALTER TABLE `inbox_events` ADD `failed_at` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `failed_at` text;
