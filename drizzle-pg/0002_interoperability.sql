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
CREATE TABLE "lti_member_account" (
	"platform_id" text NOT NULL,
	"sub" text NOT NULL,
	"user_id" text NOT NULL,
	"linked_at" text NOT NULL,
	CONSTRAINT "lti_member_account_platform_id_sub_pk" PRIMARY KEY("platform_id","sub")
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
ALTER TABLE "lti_member_account" ADD CONSTRAINT "lti_member_account_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xapi_lrs" ADD CONSTRAINT "xapi_lrs_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xapi_outbox" ADD CONSTRAINT "xapi_outbox_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lti_grade_return_subject_unique" ON "lti_grade_return" USING btree ("kind","subject");--> statement-breakpoint
CREATE INDEX "lti_grade_return_due_idx" ON "lti_grade_return" USING btree ("done_at","failed_at","next_try_at");--> statement-breakpoint
CREATE INDEX "lti_member_account_user_idx" ON "lti_member_account" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "xapi_outbox_due_idx" ON "xapi_outbox" USING btree ("status","next_try_at","queue_seq");--> statement-breakpoint
CREATE INDEX "xapi_outbox_queue_idx" ON "xapi_outbox" USING btree ("queue_seq");--> statement-breakpoint
CREATE INDEX "xapi_outbox_attempt_idx" ON "xapi_outbox" USING btree ("attempt_id");