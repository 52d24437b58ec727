ALTER TABLE `lti_handoff` ADD `state_hash` text;--> statement-breakpoint
ALTER TABLE `lti_login_state` ADD `storage_target` text;--> statement-breakpoint
ALTER TABLE `lti_platform` ADD `storage_seen_at` text;