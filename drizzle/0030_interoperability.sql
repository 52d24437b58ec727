CREATE TABLE `xapi_lrs` (
	`organisation_id` text PRIMARY KEY NOT NULL,
	`endpoint` text NOT NULL,
	`key` text NOT NULL,
	`secret` text NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `xapi_outbox` (
	`statement_id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`body` text NOT NULL,
	`queue_seq` integer NOT NULL,
	`created_at` text NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_try_at` text NOT NULL,
	`last_error` text,
	`delivered_at` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `xapi_outbox_due_idx` ON `xapi_outbox` (`status`,`next_try_at`,`queue_seq`);--> statement-breakpoint
CREATE INDEX `xapi_outbox_queue_idx` ON `xapi_outbox` (`queue_seq`);--> statement-breakpoint
CREATE INDEX `xapi_outbox_attempt_idx` ON `xapi_outbox` (`attempt_id`);