DROP INDEX `badge_learner_achievement_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `badge_unrevoked_learner_achievement_idx` ON `badge` (`learner_id`,`achievement`) WHERE "badge"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE `lti_handoff` ADD `state_hash` text;--> statement-breakpoint
ALTER TABLE `lti_login_state` ADD `storage_target` text;--> statement-breakpoint
ALTER TABLE `lti_platform` ADD `storage_seen_at` text;