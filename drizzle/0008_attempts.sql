CREATE TABLE `attempt` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`scenario_version` text NOT NULL,
	`scenario_hash` text NOT NULL,
	`workspace_id` text NOT NULL,
	`seed` text NOT NULL,
	`actor` text NOT NULL,
	`status` text NOT NULL,
	`current_node` text,
	`node` text,
	`clock` text NOT NULL,
	`next_action_seq` integer NOT NULL,
	`seed_audit_seq` integer NOT NULL,
	`seed_ids` text NOT NULL,
	`started_at` text NOT NULL,
	`ended_at` text,
	`result` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempt_workspace_id_unique` ON `attempt` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `attempt_owner_idx` ON `attempt` (`owner_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `attempt_scenario_idx` ON `attempt` (`scenario_id`,`status`);--> statement-breakpoint
CREATE TABLE `attempt_action` (
	`attempt_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`input` text,
	`outcome` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`attempt_id`, `seq`),
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `attempt_event` (
	`attempt_id` text NOT NULL,
	`seq` integer NOT NULL,
	`id` text NOT NULL,
	`action_seq` integer NOT NULL,
	`after_audit_seq` integer NOT NULL,
	`at` text NOT NULL,
	`name` text NOT NULL,
	`details` text NOT NULL,
	PRIMARY KEY(`attempt_id`, `seq`),
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `attempt_transcript` (
	`attempt_id` text NOT NULL,
	`seq` integer NOT NULL,
	`action_seq` integer NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`who` text NOT NULL,
	`text` text NOT NULL,
	`event_ids` text NOT NULL,
	PRIMARY KEY(`attempt_id`, `seq`),
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE no action
);
