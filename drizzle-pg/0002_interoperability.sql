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
ALTER TABLE "xapi_lrs" ADD CONSTRAINT "xapi_lrs_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xapi_outbox" ADD CONSTRAINT "xapi_outbox_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "xapi_outbox_due_idx" ON "xapi_outbox" USING btree ("status","next_try_at","queue_seq");--> statement-breakpoint
CREATE INDEX "xapi_outbox_queue_idx" ON "xapi_outbox" USING btree ("queue_seq");--> statement-breakpoint
CREATE INDEX "xapi_outbox_attempt_idx" ON "xapi_outbox" USING btree ("attempt_id");