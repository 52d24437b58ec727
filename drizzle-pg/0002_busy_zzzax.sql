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
ALTER TABLE "badge" ADD CONSTRAINT "badge_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge" ADD CONSTRAINT "badge_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge" ADD CONSTRAINT "badge_revoked_by_user_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_check" ADD CONSTRAINT "badge_check_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_issuer" ADD CONSTRAINT "badge_issuer_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_issuer_key" ADD CONSTRAINT "badge_issuer_key_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_issuer_key" ADD CONSTRAINT "badge_issuer_key_retired_by_user_id_fk" FOREIGN KEY ("retired_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_status_list" ADD CONSTRAINT "badge_status_list_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "badge_learner_achievement_idx" ON "badge" USING btree ("learner_id","achievement");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_status_index_idx" ON "badge" USING btree ("organisation_id","status_index");--> statement-breakpoint
CREATE INDEX "badge_organisation_idx" ON "badge" USING btree ("organisation_id");