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
CREATE INDEX `xapi_outbox_attempt_idx` ON `xapi_outbox` (`attempt_id`);--> statement-breakpoint
CREATE TABLE `lti_attempt_link` (
	`attempt_id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`sub` text NOT NULL,
	`resource_link_id` text NOT NULL,
	`ags` text,
	`linked_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lti_context` (
	`platform_id` text NOT NULL,
	`context_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`title` text NOT NULL,
	`memberships_url` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`platform_id`, `context_id`)
);
--> statement-breakpoint
CREATE TABLE `lti_grade_return` (
	`id` text PRIMARY KEY NOT NULL,
	`attempt_id` text NOT NULL,
	`platform_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_try_at` text NOT NULL,
	`last_error` text,
	`done_at` text,
	`failed_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lti_grade_return_subject_unique` ON `lti_grade_return` (`kind`,`subject`);--> statement-breakpoint
CREATE INDEX `lti_grade_return_due_idx` ON `lti_grade_return` (`done_at`,`failed_at`,`next_try_at`);--> statement-breakpoint
CREATE TABLE `lti_member_account` (
	`platform_id` text NOT NULL,
	`sub` text NOT NULL,
	`user_id` text NOT NULL,
	`linked_at` text NOT NULL,
	PRIMARY KEY(`platform_id`, `sub`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lti_member_account_user_idx` ON `lti_member_account` (`user_id`);