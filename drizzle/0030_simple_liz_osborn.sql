CREATE TABLE `badge` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`achievement` text NOT NULL,
	`status_index` integer NOT NULL,
	`awarded_at` text NOT NULL,
	`credential` text,
	`signed_at` text,
	`revoked_at` text,
	`revoked_by` text,
	`revocation_reason` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `badge_learner_achievement_idx` ON `badge` (`learner_id`,`achievement`);--> statement-breakpoint
CREATE UNIQUE INDEX `badge_status_index_idx` ON `badge` (`organisation_id`,`status_index`);--> statement-breakpoint
CREATE INDEX `badge_organisation_idx` ON `badge` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `badge_check` (
	`learner_id` text PRIMARY KEY NOT NULL,
	`requested_at` text NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `badge_issuer` (
	`organisation_id` text PRIMARY KEY NOT NULL,
	`next_status_index` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `badge_issuer_key` (
	`organisation_id` text NOT NULL,
	`number` integer NOT NULL,
	`public_key_multibase` text NOT NULL,
	`secret_key_multibase` text NOT NULL,
	`created_at` text NOT NULL,
	`retired_at` text,
	`retired_by` text,
	PRIMARY KEY(`organisation_id`, `number`),
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`retired_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `badge_status_list` (
	`organisation_id` text NOT NULL,
	`number` integer NOT NULL,
	`credential` text NOT NULL,
	`signed_at` text NOT NULL,
	PRIMARY KEY(`organisation_id`, `number`),
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action
);
