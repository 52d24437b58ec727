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
CREATE TABLE `lti_account` (
	`platform_id` text NOT NULL,
	`sub` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`last_launch_at` text NOT NULL,
	PRIMARY KEY(`platform_id`, `sub`),
	FOREIGN KEY (`platform_id`) REFERENCES `lti_platform`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lti_account_user_idx` ON `lti_account` (`user_id`);--> statement-breakpoint
CREATE TABLE `lti_handoff` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`launch_id` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`launch_id`) REFERENCES `lti_launch`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `lti_launch` (
	`id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`user_id` text NOT NULL,
	`sub` text NOT NULL,
	`deployment_id` text NOT NULL,
	`message_type` text NOT NULL,
	`resource_link_id` text,
	`context_id` text,
	`roles` text NOT NULL,
	`ags_claim` text,
	`nrps_claim` text,
	`deep_linking_claim` text,
	`landing_path` text NOT NULL,
	`session_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`platform_id`) REFERENCES `lti_platform`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lti_launch_user_idx` ON `lti_launch` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `lti_launch_platform_idx` ON `lti_launch` (`platform_id`);--> statement-breakpoint
CREATE INDEX `lti_launch_session_idx` ON `lti_launch` (`session_id`);--> statement-breakpoint
CREATE TABLE `lti_login_state` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`nonce_hash` text NOT NULL,
	`platform_id` text NOT NULL,
	`target_link_uri` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`platform_id`) REFERENCES `lti_platform`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lti_login_state_expires_idx` ON `lti_login_state` (`expires_at`);--> statement-breakpoint
CREATE TABLE `lti_platform` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`issuer` text NOT NULL,
	`client_id` text NOT NULL,
	`auth_login_url` text NOT NULL,
	`token_url` text NOT NULL,
	`jwks_url` text NOT NULL,
	`deployment_ids` text NOT NULL,
	`status` text NOT NULL,
	`registered_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lti_platform_issuer_client_idx` ON `lti_platform` (`issuer`,`client_id`);--> statement-breakpoint
CREATE TABLE `lti_registration_link` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`platform_id` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `lti_tool_key` (
	`kid` text PRIMARY KEY NOT NULL,
	`public_jwk` text NOT NULL,
	`private_jwk` text NOT NULL,
	`created_at` text NOT NULL,
	`retired_at` text
);
--> statement-breakpoint
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
