ALTER TABLE `outbox` ADD `card_ref` text;--> statement-breakpoint
UPDATE `outbox` SET `card_ref` = substr(`topic`, 6), `topic` = NULL WHERE `topic` LIKE 'card:%';
