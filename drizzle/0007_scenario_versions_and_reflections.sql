CREATE TABLE `reflection` (
	`attempt_id` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`situation` text DEFAULT '' NOT NULL,
	`task` text DEFAULT '' NOT NULL,
	`action` text DEFAULT '' NOT NULL,
	`result` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`updated_at` text NOT NULL,
	`submitted_at` text,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `scenario_version` (
	`id` text PRIMARY KEY NOT NULL,
	`scenario_id` text NOT NULL,
	`version` text NOT NULL,
	`hash` text NOT NULL,
	`title` text NOT NULL,
	`difficulty` text NOT NULL,
	`criteria` text NOT NULL,
	`source` text NOT NULL,
	`origin` text NOT NULL,
	`published_at` text NOT NULL,
	`current` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scenario_version_scenario_idx` ON `scenario_version` (`scenario_id`);