CREATE TABLE `recovery_code` (
	`user_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`used_at` text,
	PRIMARY KEY(`user_id`, `code_hash`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `security_event` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`user_id` text,
	`actor_id` text,
	`email` text,
	`address` text,
	`route_id` text,
	`request_id` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `security_event_at_idx` ON `security_event` (`at`);--> statement-breakpoint
CREATE INDEX `security_event_user_idx` ON `security_event` (`user_id`,`at`);--> statement-breakpoint
ALTER TABLE `organisation` ADD `require_mfa_for_learners` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `organisation` ADD `security_log_retention_days` integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE `session` ADD `mfa_verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `user` ADD `one_time_password_expires_at` integer;--> statement-breakpoint
ALTER TABLE `user` ADD `totp_key` text;--> statement-breakpoint
ALTER TABLE `user` ADD `mfa_enrolled_at` text;--> statement-breakpoint
ALTER TABLE `user` ADD `totp_last_step` integer;--> statement-breakpoint
-- The security event log is append-only (ASVS 5.0 §16.4): no event is ever changed, and none is
-- removed before the centre's retention period has passed.
CREATE TRIGGER `security_event_no_update` BEFORE UPDATE ON `security_event`
BEGIN
	SELECT RAISE(ABORT, 'security log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `security_event_kept_for_retention` BEFORE DELETE ON `security_event`
WHEN OLD.`at` >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (SELECT COALESCE(MAX(`security_log_retention_days`), 365) FROM `organisation`) || ' days')
BEGIN
	SELECT RAISE(ABORT, 'security events are kept for the retention period');
END;
