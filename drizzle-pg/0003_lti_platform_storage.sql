ALTER TABLE "lti_handoff" ADD COLUMN "state_hash" text;--> statement-breakpoint
ALTER TABLE "lti_login_state" ADD COLUMN "storage_target" text;--> statement-breakpoint
ALTER TABLE "lti_platform" ADD COLUMN "storage_seen_at" text;