CREATE TABLE "badge" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"learner_id" text NOT NULL,
	"achievement" text NOT NULL,
	"status_index" bigint NOT NULL,
	"awarded_at" text NOT NULL,
	"credential" text,
	"signed_at" text,
	"revoked_at" text,
	"revoked_by" text,
	"revocation_reason" text
);
--> statement-breakpoint
CREATE TABLE "badge_check" (
	"learner_id" text PRIMARY KEY NOT NULL,
	"requested_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_issuer" (
	"organisation_id" text PRIMARY KEY NOT NULL,
	"next_status_index" bigint DEFAULT 0 NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_issuer_key" (
	"organisation_id" text NOT NULL,
	"number" bigint NOT NULL,
	"public_key_multibase" text NOT NULL,
	"secret_key_multibase" text NOT NULL,
	"created_at" text NOT NULL,
	"retired_at" text,
	"retired_by" text,
	CONSTRAINT "badge_issuer_key_organisation_id_number_pk" PRIMARY KEY("organisation_id","number")
);
--> statement-breakpoint
CREATE TABLE "badge_status_list" (
	"organisation_id" text NOT NULL,
	"number" bigint NOT NULL,
	"credential" text NOT NULL,
	"signed_at" text NOT NULL,
	CONSTRAINT "badge_status_list_organisation_id_number_pk" PRIMARY KEY("organisation_id","number")
);
--> statement-breakpoint
CREATE TABLE "lti_account" (
	"platform_id" text NOT NULL,
	"sub" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" text NOT NULL,
	"last_launch_at" text NOT NULL,
	CONSTRAINT "lti_account_platform_id_sub_pk" PRIMARY KEY("platform_id","sub")
);
--> statement-breakpoint
CREATE TABLE "lti_attempt_link" (
	"attempt_id" text PRIMARY KEY NOT NULL,
	"platform_id" text NOT NULL,
	"sub" text NOT NULL,
	"resource_link_id" text NOT NULL,
	"ags" text,
	"linked_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lti_context" (
	"platform_id" text NOT NULL,
	"context_id" text NOT NULL,
	"organisation_id" text NOT NULL,
	"title" text NOT NULL,
	"memberships_url" text NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "lti_context_platform_id_context_id_pk" PRIMARY KEY("platform_id","context_id")
);
--> statement-breakpoint
CREATE TABLE "lti_grade_return" (
	"id" text PRIMARY KEY NOT NULL,
	"attempt_id" text NOT NULL,
	"platform_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"payload" text NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"next_try_at" text NOT NULL,
	"last_error" text,
	"done_at" text,
	"failed_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lti_handoff" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"launch_id" text NOT NULL,
	"expires_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lti_launch" (
	"id" text PRIMARY KEY NOT NULL,
	"platform_id" text NOT NULL,
	"user_id" text NOT NULL,
	"sub" text NOT NULL,
	"deployment_id" text NOT NULL,
	"message_type" text NOT NULL,
	"resource_link_id" text,
	"context_id" text,
	"roles" text NOT NULL,
	"ags_claim" text,
	"nrps_claim" text,
	"deep_linking_claim" text,
	"landing_path" text NOT NULL,
	"session_id" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lti_login_state" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"nonce_hash" text NOT NULL,
	"platform_id" text NOT NULL,
	"target_link_uri" text,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lti_platform" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"name" text NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"auth_login_url" text NOT NULL,
	"token_url" text NOT NULL,
	"jwks_url" text NOT NULL,
	"deployment_ids" text NOT NULL,
	"status" text NOT NULL,
	"registered_by" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lti_registration_link" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at" text NOT NULL,
	"used_at" text,
	"platform_id" text
);
--> statement-breakpoint
CREATE TABLE "lti_tool_key" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_jwk" text NOT NULL,
	"private_jwk" text NOT NULL,
	"created_at" text NOT NULL,
	"retired_at" text
);
--> statement-breakpoint
CREATE TABLE "xapi_lrs" (
	"organisation_id" text PRIMARY KEY NOT NULL,
	"endpoint" text NOT NULL,
	"key" text NOT NULL,
	"secret" text NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"updated_at" text NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "xapi_outbox" (
	"statement_id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"attempt_id" text NOT NULL,
	"body" text NOT NULL,
	"queue_seq" bigint NOT NULL,
	"created_at" text NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"next_try_at" text NOT NULL,
	"last_error" text,
	"delivered_at" text
);
--> statement-breakpoint
ALTER TABLE "badge" ADD CONSTRAINT "badge_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge" ADD CONSTRAINT "badge_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge" ADD CONSTRAINT "badge_revoked_by_user_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_check" ADD CONSTRAINT "badge_check_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_issuer" ADD CONSTRAINT "badge_issuer_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_issuer_key" ADD CONSTRAINT "badge_issuer_key_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_issuer_key" ADD CONSTRAINT "badge_issuer_key_retired_by_user_id_fk" FOREIGN KEY ("retired_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_status_list" ADD CONSTRAINT "badge_status_list_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_account" ADD CONSTRAINT "lti_account_platform_id_lti_platform_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."lti_platform"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_account" ADD CONSTRAINT "lti_account_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_handoff" ADD CONSTRAINT "lti_handoff_launch_id_lti_launch_id_fk" FOREIGN KEY ("launch_id") REFERENCES "public"."lti_launch"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_launch" ADD CONSTRAINT "lti_launch_platform_id_lti_platform_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."lti_platform"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_launch" ADD CONSTRAINT "lti_launch_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_login_state" ADD CONSTRAINT "lti_login_state_platform_id_lti_platform_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."lti_platform"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_platform" ADD CONSTRAINT "lti_platform_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_registration_link" ADD CONSTRAINT "lti_registration_link_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xapi_lrs" ADD CONSTRAINT "xapi_lrs_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xapi_outbox" ADD CONSTRAINT "xapi_outbox_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "badge_learner_achievement_idx" ON "badge" USING btree ("learner_id","achievement");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_status_index_idx" ON "badge" USING btree ("organisation_id","status_index");--> statement-breakpoint
CREATE INDEX "badge_organisation_idx" ON "badge" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "lti_account_user_idx" ON "lti_account" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lti_grade_return_subject_unique" ON "lti_grade_return" USING btree ("kind","subject");--> statement-breakpoint
CREATE INDEX "lti_grade_return_due_idx" ON "lti_grade_return" USING btree ("done_at","failed_at","next_try_at");--> statement-breakpoint
CREATE INDEX "lti_launch_user_idx" ON "lti_launch" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "lti_launch_platform_idx" ON "lti_launch" USING btree ("platform_id");--> statement-breakpoint
CREATE INDEX "lti_launch_session_idx" ON "lti_launch" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "lti_login_state_expires_idx" ON "lti_login_state" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "lti_platform_issuer_client_idx" ON "lti_platform" USING btree ("issuer","client_id");--> statement-breakpoint
CREATE INDEX "xapi_outbox_due_idx" ON "xapi_outbox" USING btree ("status","next_try_at","queue_seq");--> statement-breakpoint
CREATE INDEX "xapi_outbox_queue_idx" ON "xapi_outbox" USING btree ("queue_seq");--> statement-breakpoint
CREATE INDEX "xapi_outbox_attempt_idx" ON "xapi_outbox" USING btree ("attempt_id");