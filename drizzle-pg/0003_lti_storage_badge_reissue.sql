DROP INDEX "badge_learner_achievement_idx";--> statement-breakpoint
ALTER TABLE "lti_handoff" ADD COLUMN "state_hash" text;--> statement-breakpoint
ALTER TABLE "lti_login_state" ADD COLUMN "storage_target" text;--> statement-breakpoint
ALTER TABLE "lti_platform" ADD COLUMN "storage_seen_at" text;--> statement-breakpoint
CREATE UNIQUE INDEX "badge_unrevoked_learner_achievement_idx" ON "badge" USING btree ("learner_id","achievement") WHERE "badge"."revoked_at" is null;