CREATE TABLE "audit_entry" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"at" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text,
	"subject" text,
	"fields" text NOT NULL,
	"details" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authorised_third_party" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"name" text NOT NULL,
	"relationship" text NOT NULL,
	"authority_type" text NOT NULL,
	"lpa_type" text,
	"evidence_ref" text NOT NULL,
	"scope_categories" text NOT NULL,
	"scope_actions" text NOT NULL,
	"valid_from" text NOT NULL,
	"valid_to" text,
	"recorded_by" text NOT NULL,
	"recorded_at" text NOT NULL,
	"revoked_at" text
);
--> statement-breakpoint
CREATE TABLE "breach" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"aware_at" text NOT NULL,
	"occurred_at" text,
	"report_due_at" text NOT NULL,
	"description" text NOT NULL,
	"data_categories" text NOT NULL,
	"subject_categories" text NOT NULL,
	"approx_subjects" bigint NOT NULL,
	"approx_records" bigint NOT NULL,
	"affected_customer_ids" text NOT NULL,
	"likely_consequences" text DEFAULT '' NOT NULL,
	"measures_taken" text DEFAULT '' NOT NULL,
	"risk" text DEFAULT 'unassessed' NOT NULL,
	"risk_assessment" text DEFAULT '' NOT NULL,
	"assessed_at" text,
	"assessed_by" text,
	"ico_notified_at" text,
	"ico_reference" text,
	"late_reasons" text,
	"not_notified_reason" text,
	"subjects_told_at" text,
	"subjects_not_told_reason" text,
	"source_disclosure_id" text,
	"recorded_by" text NOT NULL,
	"recorded_at" text NOT NULL,
	"closed_at" text
);
--> statement-breakpoint
CREATE TABLE "consent" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"purpose_code" text NOT NULL,
	"channel" text NOT NULL,
	"given_by" text NOT NULL,
	"third_party_id" text,
	"method" text NOT NULL,
	"notice_version" text NOT NULL,
	"taken_by" text NOT NULL,
	"evidence_ref" text NOT NULL,
	"given_at" text NOT NULL,
	"withdrawn_at" text,
	"withdrawn_by" text,
	"withdrawal_method" text
);
--> statement-breakpoint
CREATE TABLE "criminal_offence_value" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"field" text NOT NULL,
	"value" text,
	"schedule1_condition" text NOT NULL,
	"purpose_code" text NOT NULL,
	"lawful_basis" text NOT NULL,
	"source" text NOT NULL,
	"source_detail" text DEFAULT '' NOT NULL,
	"collected_at" text NOT NULL,
	"retention_rule_id" text NOT NULL,
	"retain_until" text,
	"accuracy" text DEFAULT 'ok' NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"legal_hold" boolean DEFAULT false NOT NULL,
	"legal_hold_reason" text DEFAULT '' NOT NULL,
	"legal_hold_code" text,
	"legal_hold_purpose_code" text,
	"legal_hold_until" text,
	"kept_for_hold_only" boolean DEFAULT false NOT NULL,
	"erased_at" text,
	"anonymised_at" text,
	"updated_at" text NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"reference" text NOT NULL,
	"created_at" text NOT NULL,
	"relationship_ended_at" text,
	"erased_at" text,
	"suppressed" boolean DEFAULT false NOT NULL,
	"suppressed_at" text
);
--> statement-breakpoint
CREATE TABLE "customer_field" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"field" text NOT NULL,
	"category" text NOT NULL,
	"value" text,
	"normalised" text,
	"purpose_code" text NOT NULL,
	"lawful_basis" text NOT NULL,
	"source" text NOT NULL,
	"source_detail" text DEFAULT '' NOT NULL,
	"collected_at" text NOT NULL,
	"retention_rule_id" text NOT NULL,
	"retain_until" text,
	"accuracy" text DEFAULT 'ok' NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"legal_hold" boolean DEFAULT false NOT NULL,
	"legal_hold_reason" text DEFAULT '' NOT NULL,
	"legal_hold_code" text,
	"legal_hold_purpose_code" text,
	"legal_hold_until" text,
	"kept_for_hold_only" boolean DEFAULT false NOT NULL,
	"erased_at" text,
	"anonymised_at" text,
	"updated_at" text NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_field_history" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"value_kind" text NOT NULL,
	"value_id" text NOT NULL,
	"field" text NOT NULL,
	"change" text NOT NULL,
	"old_value" text,
	"new_value" text,
	"version" bigint NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"at" text NOT NULL,
	"reason" text NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "disclosure" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"recipient_type" text NOT NULL,
	"recipient_name" text NOT NULL,
	"recipient_organisation" text DEFAULT '' NOT NULL,
	"third_party_id" text,
	"recipient_role" text DEFAULT '' NOT NULL,
	"verification_attempt_id" text,
	"recipient_verified_how" text DEFAULT '' NOT NULL,
	"authority_evidence" text DEFAULT '' NOT NULL,
	"route" text NOT NULL,
	"authorised" boolean NOT NULL,
	"manner" text NOT NULL,
	"fields" text NOT NULL,
	"categories" text NOT NULL,
	"purpose_code" text DEFAULT '' NOT NULL,
	"basis_or_exemption" text NOT NULL,
	"prejudice_test" text DEFAULT '' NOT NULL,
	"channel" text NOT NULL,
	"disclosed_by" text NOT NULL,
	"approved_by" text,
	"request_id" text,
	"interaction_id" text,
	"breach_id" text,
	"disclosed_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disposal_run" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"as_of" text NOT NULL,
	"ran_at" text NOT NULL,
	"ran_by" text NOT NULL,
	"counts" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "finding" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"code" text NOT NULL,
	"rule" text NOT NULL,
	"message" text NOT NULL,
	"field" text,
	"subject_type" text,
	"subject_id" text,
	"details" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "interaction" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text,
	"channel" text NOT NULL,
	"direction" text NOT NULL,
	"party_type" text NOT NULL,
	"third_party_id" text,
	"occurred_at" text NOT NULL,
	"nature" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"actions_taken" text NOT NULL,
	"handled_by" text NOT NULL,
	"logged_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketing_objection" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"channel" text NOT NULL,
	"received_at" text NOT NULL,
	"recorded_by" text NOT NULL,
	"interaction_id" text,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "opg_register_entry" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"reference" text NOT NULL,
	"donor_name" text NOT NULL,
	"attorney_names" text NOT NULL,
	"lpa_type" text NOT NULL,
	"registered_on" text,
	"status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purpose" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"lawful_basis" text NOT NULL,
	"basis_detail" text DEFAULT '' NOT NULL,
	"direct_marketing" boolean DEFAULT false NOT NULL,
	"fields" text NOT NULL,
	"required_fields" text NOT NULL,
	"field_categories" text DEFAULT '{}' NOT NULL,
	"minimum_age" bigint,
	"categories" text NOT NULL,
	"data_subject_categories" text NOT NULL,
	"recipient_categories" text NOT NULL,
	"transfers" text DEFAULT '' NOT NULL,
	"retention_rule_id" text NOT NULL,
	"automated_decision_making" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipient_directory" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"receives" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipient_notification" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"request_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"disclosure_ids" text NOT NULL,
	"recipient_type" text NOT NULL,
	"recipient_name" text NOT NULL,
	"recipient_organisation" text DEFAULT '' NOT NULL,
	"outcome" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"channel" text,
	"at" text NOT NULL,
	"by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redaction" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"request_id" text NOT NULL,
	"source_table" text NOT NULL,
	"source_id" text NOT NULL,
	"source_field" text NOT NULL,
	"third_party_description" text NOT NULL,
	"passage_start" bigint,
	"passage_end" bigint,
	"decision" text NOT NULL,
	"reason" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_transition" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"request_id" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"at" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"due_date_before" text,
	"due_date_after" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retention_rule" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"period_months" bigint NOT NULL,
	"trigger" text NOT NULL,
	"action" text NOT NULL,
	"authority" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rights_request" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"channel" text NOT NULL,
	"verbal" boolean NOT NULL,
	"description" text NOT NULL,
	"particulars" text NOT NULL,
	"requester_type" text NOT NULL,
	"third_party_id" text,
	"verification_attempt_id" text,
	"electronic" boolean NOT NULL,
	"interaction_id" text,
	"received_at" text NOT NULL,
	"received_by" text NOT NULL,
	"id_requested_at" text,
	"id_received_at" text,
	"fee_requested_at" text,
	"fee_pence" bigint,
	"fee_received_at" text,
	"clarification_requested_at" text,
	"clarification_received_at" text,
	"paused_days" bigint DEFAULT 0 NOT NULL,
	"relevant_time" text NOT NULL,
	"due_date" text NOT NULL,
	"extended" boolean DEFAULT false NOT NULL,
	"extension_reason" text,
	"extension_notified_at" text,
	"refusal_reason" text,
	"response" text,
	"responded_at" text,
	"closed_at" text,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "special_category_value" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"field" text NOT NULL,
	"special_category" text NOT NULL,
	"value" text,
	"art9_condition" text NOT NULL,
	"schedule1_condition" text DEFAULT '' NOT NULL,
	"purpose_code" text NOT NULL,
	"lawful_basis" text NOT NULL,
	"source" text NOT NULL,
	"source_detail" text DEFAULT '' NOT NULL,
	"collected_at" text NOT NULL,
	"retention_rule_id" text NOT NULL,
	"retain_until" text,
	"accuracy" text DEFAULT 'ok' NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"legal_hold" boolean DEFAULT false NOT NULL,
	"legal_hold_reason" text DEFAULT '' NOT NULL,
	"legal_hold_code" text,
	"legal_hold_purpose_code" text,
	"legal_hold_until" text,
	"kept_for_hold_only" boolean DEFAULT false NOT NULL,
	"erased_at" text,
	"anonymised_at" text,
	"updated_at" text NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_attempt" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"customer_id" text,
	"interaction_id" text,
	"request_id" text,
	"requester_type" text NOT NULL,
	"third_party_id" text,
	"method" text NOT NULL,
	"items_supplied" text NOT NULL,
	"items_matched" text NOT NULL,
	"items_mismatched" text NOT NULL,
	"items_read_out" text NOT NULL,
	"outcome" text NOT NULL,
	"attempted_at" text NOT NULL,
	"attempted_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_name" text NOT NULL,
	"region" text NOT NULL,
	"policy_mode" text NOT NULL,
	"dpo_name" text NOT NULL,
	"dpo_email" text NOT NULL,
	"dpo_phone" text DEFAULT '' NOT NULL,
	"settings" text NOT NULL,
	"created_at" text NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attempt" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"scenario_id" text NOT NULL,
	"scenario_version" text NOT NULL,
	"scenario_hash" text NOT NULL,
	"workspace_id" text NOT NULL,
	"seed" text NOT NULL,
	"actor" text NOT NULL,
	"status" text NOT NULL,
	"current_node" text,
	"node" text,
	"clock" text NOT NULL,
	"next_action_seq" bigint NOT NULL,
	"seed_audit_seq" bigint NOT NULL,
	"seed_ids" text NOT NULL,
	"started_at" text NOT NULL,
	"ended_at" text,
	"result" text,
	CONSTRAINT "attempt_workspace_id_unique" UNIQUE("workspace_id")
);
--> statement-breakpoint
CREATE TABLE "attempt_action" (
	"attempt_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"input" text,
	"outcome" text NOT NULL,
	"at" text NOT NULL,
	CONSTRAINT "attempt_action_attempt_id_seq_pk" PRIMARY KEY("attempt_id","seq")
);
--> statement-breakpoint
CREATE TABLE "attempt_desk" (
	"attempt_id" text PRIMARY KEY NOT NULL,
	"through_seq" bigint NOT NULL,
	"state" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attempt_event" (
	"attempt_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"id" text NOT NULL,
	"action_seq" bigint NOT NULL,
	"after_audit_seq" bigint NOT NULL,
	"at" text NOT NULL,
	"name" text NOT NULL,
	"details" text NOT NULL,
	CONSTRAINT "attempt_event_attempt_id_seq_pk" PRIMARY KEY("attempt_id","seq")
);
--> statement-breakpoint
CREATE TABLE "attempt_transcript" (
	"attempt_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"action_seq" bigint NOT NULL,
	"at" text NOT NULL,
	"kind" text NOT NULL,
	"who" text NOT NULL,
	"text" text NOT NULL,
	"event_ids" text NOT NULL,
	CONSTRAINT "attempt_transcript_attempt_id_seq_pk" PRIMARY KEY("attempt_id","seq")
);
--> statement-breakpoint
CREATE TABLE "assessment_decision" (
	"id" text PRIMARY KEY NOT NULL,
	"attempt_id" text NOT NULL,
	"learner_id" text NOT NULL,
	"assessor_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	"supersedes_id" text,
	"outcome" text NOT NULL,
	"feedback" text NOT NULL,
	"next_steps" text DEFAULT '' NOT NULL,
	"points" text NOT NULL,
	"criteria" text NOT NULL,
	"assessor_note" text DEFAULT '' NOT NULL,
	"evidence_hash" text NOT NULL,
	"evidence" text,
	"signed_name" text NOT NULL,
	"signed_at" text NOT NULL,
	"signature_hash" text NOT NULL,
	"hash_encoding" text DEFAULT 'legacy-2025' NOT NULL,
	"requires_countersignature" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_draft" (
	"attempt_id" text NOT NULL,
	"assessor_id" text NOT NULL,
	"content" text NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "assessment_draft_attempt_id_assessor_id_pk" PRIMARY KEY("attempt_id","assessor_id")
);
--> statement-breakpoint
CREATE TABLE "assessor_profile" (
	"assessor_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'qualified' NOT NULL,
	"status_since" text,
	"competence_notes" text DEFAULT '' NOT NULL,
	"risk" text DEFAULT 'new' NOT NULL,
	"risk_reason" text DEFAULT '' NOT NULL,
	"updated_at" text NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessor_profile_change" (
	"id" text PRIMARY KEY NOT NULL,
	"assessor_id" text NOT NULL,
	"kind" text NOT NULL,
	"value" text DEFAULT '' NOT NULL,
	"on_date" text,
	"text" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment" (
	"id" text PRIMARY KEY NOT NULL,
	"cohort_id" text NOT NULL,
	"scenario_id" text NOT NULL,
	"due_on" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"assigned_by" text NOT NULL,
	"assigned_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "centre_retention_rule" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"period_months" bigint NOT NULL,
	"trigger" text NOT NULL,
	"action" text NOT NULL,
	"authority" text DEFAULT '' NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "centre_scenario" (
	"scenario_id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"draft_source" text NOT NULL,
	"based_on" text,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cohort" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL,
	"archived_at" text
);
--> statement-breakpoint
CREATE TABLE "cohort_member" (
	"cohort_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"added_at" text NOT NULL,
	CONSTRAINT "cohort_member_cohort_id_user_id_role_pk" PRIMARY KEY("cohort_id","user_id","role")
);
--> statement-breakpoint
CREATE TABLE "comment_bank_entry" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"criterion" text,
	"text" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decision_countersignature" (
	"id" text PRIMARY KEY NOT NULL,
	"decision_id" text NOT NULL,
	"countersigner_id" text NOT NULL,
	"outcome" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"decision_signature_hash" text NOT NULL,
	"signed_name" text NOT NULL,
	"signed_at" text NOT NULL,
	"signature_hash" text NOT NULL,
	"hash_encoding" text NOT NULL,
	CONSTRAINT "decision_countersignature_decision_id_unique" UNIQUE("decision_id")
);
--> statement-breakpoint
CREATE TABLE "eqa_access" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"eqa_user_id" text NOT NULL,
	"cohort_id" text NOT NULL,
	"starts_on" text NOT NULL,
	"ends_on" text NOT NULL,
	"invited_by" text NOT NULL,
	"invited_at" text NOT NULL,
	"revoked_at" text,
	"revoked_by" text,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "eqa_access_learner" (
	"access_id" text NOT NULL,
	"learner_id" text NOT NULL,
	CONSTRAINT "eqa_access_learner_access_id_learner_id_pk" PRIMARY KEY("access_id","learner_id")
);
--> statement-breakpoint
CREATE TABLE "eqa_answer" (
	"id" text PRIMARY KEY NOT NULL,
	"report_id" text NOT NULL,
	"action_id" text,
	"answer" text NOT NULL,
	"answered_by" text NOT NULL,
	"answered_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eqa_report" (
	"id" text PRIMARY KEY NOT NULL,
	"access_id" text NOT NULL,
	"author_id" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"findings" text NOT NULL,
	"actions" text NOT NULL,
	"risk" text,
	"updated_at" text NOT NULL,
	"submitted_at" text
);
--> statement-breakpoint
CREATE TABLE "iqa_action" (
	"id" text PRIMARY KEY NOT NULL,
	"sample_id" text NOT NULL,
	"round_id" text NOT NULL,
	"assessor_id" text NOT NULL,
	"criterion" text NOT NULL,
	"action" text NOT NULL,
	"target_date" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iqa_action_event" (
	"id" text PRIMARY KEY NOT NULL,
	"action_id" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"by_id" text NOT NULL,
	"at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iqa_sample" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"plan_id" text,
	"decision_kind" text NOT NULL,
	"decision_id" text NOT NULL,
	"learner_id" text NOT NULL,
	"assessor_id" text NOT NULL,
	"stage" text NOT NULL,
	"pick" text NOT NULL,
	"reason" text NOT NULL,
	"picked_by" text,
	"picked_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iqa_sample_draft" (
	"sample_id" text PRIMARY KEY NOT NULL,
	"iqa_id" text NOT NULL,
	"content" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iqa_sample_round" (
	"id" text PRIMARY KEY NOT NULL,
	"sample_id" text NOT NULL,
	"round" bigint NOT NULL,
	"iqa_id" text NOT NULL,
	"snapshot_hash" text NOT NULL,
	"vacs" text NOT NULL,
	"criteria" text NOT NULL,
	"feedback" text NOT NULL,
	"signed_name" text NOT NULL,
	"signed_at" text NOT NULL,
	"signature_hash" text NOT NULL,
	"hash_encoding" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iqa_sample_snapshot" (
	"sample_id" text PRIMARY KEY NOT NULL,
	"snapshot" text NOT NULL,
	"snapshot_hash" text NOT NULL,
	"hash_encoding" text NOT NULL,
	"taken_by" text NOT NULL,
	"taken_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_lease" (
	"job" text PRIMARY KEY NOT NULL,
	"holder" text,
	"lease_expires_at" text,
	"last_started_at" text NOT NULL,
	"last_started_by" text NOT NULL,
	"last_finished_at" text,
	"last_outcome" text,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "learner_standing" (
	"learner_id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"status" text DEFAULT 'in-training' NOT NULL,
	"status_on" text NOT NULL,
	"certified_on" text,
	"note" text DEFAULT '' NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_hold" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"learner_id" text NOT NULL,
	"reason" text NOT NULL,
	"placed_by" text NOT NULL,
	"placed_at" text NOT NULL,
	"released_by" text,
	"released_at" text,
	"release_reason" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" bigint NOT NULL,
	"first_failure_at" bigint NOT NULL,
	"last_failure_at" bigint NOT NULL,
	"locked_until" bigint
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"title" text NOT NULL,
	"link" text NOT NULL,
	"created_at" text NOT NULL,
	"read_at" text,
	"email_status" text
);
--> statement-breakpoint
CREATE TABLE "notification_preference" (
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"by_email" boolean NOT NULL,
	"updated_at" text NOT NULL,
	CONSTRAINT "notification_preference_user_id_kind_pk" PRIMARY KEY("user_id","kind")
);
--> statement-breakpoint
CREATE TABLE "observation_record" (
	"id" text PRIMARY KEY NOT NULL,
	"learner_id" text NOT NULL,
	"assessor_id" text NOT NULL,
	"observed_on" text NOT NULL,
	"setting" text NOT NULL,
	"description" text NOT NULL,
	"criteria" text NOT NULL,
	"recorded_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region" text DEFAULT 'england-and-wales' NOT NULL,
	"dpo_name" text DEFAULT '' NOT NULL,
	"dpo_email" text DEFAULT '' NOT NULL,
	"dpo_phone" text DEFAULT '' NOT NULL,
	"require_mfa_for_learners" boolean DEFAULT false NOT NULL,
	"security_log_retention_days" bigint DEFAULT 365 NOT NULL,
	"evidence_retention_years" bigint DEFAULT 3 NOT NULL,
	"decision_retention_years" bigint DEFAULT 3 NOT NULL,
	"updated_at" text DEFAULT to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "password_reset" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	CONSTRAINT "password_reset_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "portfolio_document" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"learner_id" text NOT NULL,
	"kind" text NOT NULL,
	"attempt_id" text,
	"content_hash" text NOT NULL,
	"file_hash" text NOT NULL,
	"page_count" bigint NOT NULL,
	"byte_length" bigint NOT NULL,
	"issued_at" text NOT NULL,
	"issued_by" text NOT NULL,
	"hash_encoding" text DEFAULT 'legacy-2025' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_disposal" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"learner_id" text NOT NULL,
	"record_class" text NOT NULL,
	"certified_on" text NOT NULL,
	"retention_years" bigint NOT NULL,
	"counts" text NOT NULL,
	"disposed_by" text,
	"disposed_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_disposal_permit" (
	"learner_id" text PRIMARY KEY NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recovery_code" (
	"user_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" text,
	CONSTRAINT "recovery_code_user_id_code_hash_pk" PRIMARY KEY("user_id","code_hash")
);
--> statement-breakpoint
CREATE TABLE "reflection" (
	"attempt_id" text PRIMARY KEY NOT NULL,
	"learner_id" text NOT NULL,
	"situation" text DEFAULT '' NOT NULL,
	"task" text DEFAULT '' NOT NULL,
	"action" text DEFAULT '' NOT NULL,
	"result" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"updated_at" text NOT NULL,
	"submitted_at" text
);
--> statement-breakpoint
CREATE TABLE "render_slot" (
	"user_id" text PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"holder" text NOT NULL,
	"expires_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sampling_plan" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"cohort_id" text NOT NULL,
	"qualification_title" text NOT NULL,
	"rates" text NOT NULL,
	"methods" text NOT NULL,
	"criteria" text NOT NULL,
	"interim_required" boolean DEFAULT true NOT NULL,
	"summative_required" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scenario_archive" (
	"scenario_id" text PRIMARY KEY NOT NULL,
	"archived_by" text NOT NULL,
	"archived_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scenario_preview" (
	"attempt_id" text PRIMARY KEY NOT NULL,
	"tutor_id" text NOT NULL,
	"scenario_id" text NOT NULL,
	"source" text NOT NULL,
	"started_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scenario_version" (
	"id" text PRIMARY KEY NOT NULL,
	"scenario_id" text NOT NULL,
	"version" text NOT NULL,
	"hash" text NOT NULL,
	"title" text NOT NULL,
	"difficulty" text NOT NULL,
	"criteria" text NOT NULL,
	"source" text NOT NULL,
	"origin" text NOT NULL,
	"published_at" text NOT NULL,
	"current" boolean DEFAULT true NOT NULL,
	"derived_from" text
);
--> statement-breakpoint
CREATE TABLE "security_event" (
	"id" bigint PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY (sequence name "security_event_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" text NOT NULL,
	"type" text NOT NULL,
	"user_id" text,
	"actor_id" text,
	"email" text,
	"address" text,
	"route_id" text,
	"request_id" text,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"absolute_expires_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"mfa_verified" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "standardisation_meeting" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"held_on" text NOT NULL,
	"attendees" text NOT NULL,
	"work_discussed" text NOT NULL,
	"actions" text DEFAULT '' NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upload" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"original_name" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text,
	"byte_length" bigint NOT NULL,
	"received_bytes" bigint DEFAULT 0 NOT NULL,
	"sha256" text,
	"storage_key" text NOT NULL,
	"storage" text DEFAULT 'directory' NOT NULL,
	"append_lease" text,
	"append_lease_until" text,
	"state" text DEFAULT 'receiving' NOT NULL,
	"refusal" text DEFAULT '' NOT NULL,
	"metadata_removed" text DEFAULT '' NOT NULL,
	"created_at" text NOT NULL,
	"completed_at" text
);
--> statement-breakpoint
CREATE TABLE "upload_piece" (
	"upload_id" text NOT NULL,
	"start_byte" bigint NOT NULL,
	"byte_length" bigint NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "upload_piece_upload_id_start_byte_pk" PRIMARY KEY("upload_id","start_byte")
);
--> statement-breakpoint
CREATE TABLE "user" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"one_time_password_expires_at" bigint,
	"totp_key" text,
	"mfa_enrolled_at" text,
	"totp_last_step" bigint,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "user_role" (
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "user_role_user_id_role_pk" PRIMARY KEY("user_id","role")
);
--> statement-breakpoint
CREATE TABLE "witness_testimony" (
	"id" text PRIMARY KEY NOT NULL,
	"learner_id" text NOT NULL,
	"witness_name" text NOT NULL,
	"witness_role" text NOT NULL,
	"relationship" text NOT NULL,
	"statement" text NOT NULL,
	"witness_contact" text DEFAULT '' NOT NULL,
	"witness_signed_name" text,
	"witness_signed_on" text,
	"not_relative" boolean DEFAULT false NOT NULL,
	"witnessed_on" text NOT NULL,
	"declared_criteria" text NOT NULL,
	"criteria" text,
	"mapped_by" text,
	"mapped_at" text,
	"recorded_by" text NOT NULL,
	"recorded_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_lock_event" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"decision_kind" text NOT NULL,
	"decision_id" text NOT NULL,
	"sample_id" text NOT NULL,
	"round_id" text,
	"kind" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"by_id" text NOT NULL,
	"at" text NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workplace_decision" (
	"id" text PRIMARY KEY NOT NULL,
	"evidence_id" text NOT NULL,
	"learner_id" text NOT NULL,
	"assessor_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	"supersedes_id" text,
	"outcome" text NOT NULL,
	"feedback" text NOT NULL,
	"next_steps" text DEFAULT '' NOT NULL,
	"criteria" text NOT NULL,
	"assessor_note" text DEFAULT '' NOT NULL,
	"evidence" text NOT NULL,
	"evidence_hash" text NOT NULL,
	"signed_name" text NOT NULL,
	"signed_at" text NOT NULL,
	"signature_hash" text NOT NULL,
	"hash_encoding" text NOT NULL,
	"requires_countersignature" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workplace_decision_countersignature" (
	"id" text PRIMARY KEY NOT NULL,
	"decision_id" text NOT NULL,
	"countersigner_id" text NOT NULL,
	"outcome" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"decision_signature_hash" text NOT NULL,
	"signed_name" text NOT NULL,
	"signed_at" text NOT NULL,
	"signature_hash" text NOT NULL,
	"hash_encoding" text NOT NULL,
	CONSTRAINT "workplace_decision_countersignature_decision_id_unique" UNIQUE("decision_id")
);
--> statement-breakpoint
CREATE TABLE "workplace_evidence" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"learner_id" text NOT NULL,
	"title" text NOT NULL,
	"situation" text DEFAULT '' NOT NULL,
	"task" text DEFAULT '' NOT NULL,
	"action" text DEFAULT '' NOT NULL,
	"result" text DEFAULT '' NOT NULL,
	"criteria" text NOT NULL,
	"declaration" text DEFAULT '' NOT NULL,
	"declared_at" text,
	"state" text DEFAULT 'draft' NOT NULL,
	"created_at" text NOT NULL,
	"updated_at" text NOT NULL,
	"submitted_at" text
);
--> statement-breakpoint
CREATE TABLE "workplace_evidence_file" (
	"evidence_id" text NOT NULL,
	"upload_id" text NOT NULL,
	"added_at" text NOT NULL,
	CONSTRAINT "workplace_evidence_file_evidence_id_upload_id_pk" PRIMARY KEY("evidence_id","upload_id")
);
--> statement-breakpoint
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorised_third_party" ADD CONSTRAINT "authorised_third_party_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorised_third_party" ADD CONSTRAINT "authorised_third_party_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "breach" ADD CONSTRAINT "breach_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent" ADD CONSTRAINT "consent_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent" ADD CONSTRAINT "consent_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criminal_offence_value" ADD CONSTRAINT "criminal_offence_value_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criminal_offence_value" ADD CONSTRAINT "criminal_offence_value_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criminal_offence_value" ADD CONSTRAINT "criminal_offence_value_retention_rule_id_retention_rule_id_fk" FOREIGN KEY ("retention_rule_id") REFERENCES "public"."retention_rule"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer" ADD CONSTRAINT "customer_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_field" ADD CONSTRAINT "customer_field_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_field" ADD CONSTRAINT "customer_field_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_field" ADD CONSTRAINT "customer_field_retention_rule_id_retention_rule_id_fk" FOREIGN KEY ("retention_rule_id") REFERENCES "public"."retention_rule"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_field_history" ADD CONSTRAINT "customer_field_history_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_field_history" ADD CONSTRAINT "customer_field_history_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure" ADD CONSTRAINT "disclosure_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure" ADD CONSTRAINT "disclosure_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disposal_run" ADD CONSTRAINT "disposal_run_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding" ADD CONSTRAINT "finding_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interaction" ADD CONSTRAINT "interaction_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interaction" ADD CONSTRAINT "interaction_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing_objection" ADD CONSTRAINT "marketing_objection_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing_objection" ADD CONSTRAINT "marketing_objection_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opg_register_entry" ADD CONSTRAINT "opg_register_entry_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purpose" ADD CONSTRAINT "purpose_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purpose" ADD CONSTRAINT "purpose_retention_rule_id_retention_rule_id_fk" FOREIGN KEY ("retention_rule_id") REFERENCES "public"."retention_rule"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recipient_directory" ADD CONSTRAINT "recipient_directory_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recipient_notification" ADD CONSTRAINT "recipient_notification_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recipient_notification" ADD CONSTRAINT "recipient_notification_request_id_rights_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."rights_request"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recipient_notification" ADD CONSTRAINT "recipient_notification_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redaction" ADD CONSTRAINT "redaction_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redaction" ADD CONSTRAINT "redaction_request_id_rights_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."rights_request"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_transition" ADD CONSTRAINT "request_transition_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_transition" ADD CONSTRAINT "request_transition_request_id_rights_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."rights_request"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_rule" ADD CONSTRAINT "retention_rule_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rights_request" ADD CONSTRAINT "rights_request_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rights_request" ADD CONSTRAINT "rights_request_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_category_value" ADD CONSTRAINT "special_category_value_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_category_value" ADD CONSTRAINT "special_category_value_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_category_value" ADD CONSTRAINT "special_category_value_retention_rule_id_retention_rule_id_fk" FOREIGN KEY ("retention_rule_id") REFERENCES "public"."retention_rule"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_attempt" ADD CONSTRAINT "verification_attempt_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_attempt" ADD CONSTRAINT "verification_attempt_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt" ADD CONSTRAINT "attempt_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt_action" ADD CONSTRAINT "attempt_action_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt_desk" ADD CONSTRAINT "attempt_desk_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt_event" ADD CONSTRAINT "attempt_event_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt_transcript" ADD CONSTRAINT "attempt_transcript_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_decision" ADD CONSTRAINT "assessment_decision_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_decision" ADD CONSTRAINT "assessment_decision_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_decision" ADD CONSTRAINT "assessment_decision_assessor_id_user_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_draft" ADD CONSTRAINT "assessment_draft_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_draft" ADD CONSTRAINT "assessment_draft_assessor_id_user_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessor_profile" ADD CONSTRAINT "assessor_profile_assessor_id_user_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessor_profile" ADD CONSTRAINT "assessor_profile_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessor_profile_change" ADD CONSTRAINT "assessor_profile_change_assessor_id_user_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessor_profile_change" ADD CONSTRAINT "assessor_profile_change_changed_by_user_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_cohort_id_cohort_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohort"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_assigned_by_user_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "centre_retention_rule" ADD CONSTRAINT "centre_retention_rule_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "centre_scenario" ADD CONSTRAINT "centre_scenario_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "centre_scenario" ADD CONSTRAINT "centre_scenario_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "centre_scenario" ADD CONSTRAINT "centre_scenario_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cohort_member" ADD CONSTRAINT "cohort_member_cohort_id_cohort_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohort"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cohort_member" ADD CONSTRAINT "cohort_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_bank_entry" ADD CONSTRAINT "comment_bank_entry_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_bank_entry" ADD CONSTRAINT "comment_bank_entry_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_countersignature" ADD CONSTRAINT "decision_countersignature_decision_id_assessment_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."assessment_decision"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_countersignature" ADD CONSTRAINT "decision_countersignature_countersigner_id_user_id_fk" FOREIGN KEY ("countersigner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_access" ADD CONSTRAINT "eqa_access_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_access" ADD CONSTRAINT "eqa_access_eqa_user_id_user_id_fk" FOREIGN KEY ("eqa_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_access" ADD CONSTRAINT "eqa_access_cohort_id_cohort_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohort"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_access" ADD CONSTRAINT "eqa_access_invited_by_user_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_access" ADD CONSTRAINT "eqa_access_revoked_by_user_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_access_learner" ADD CONSTRAINT "eqa_access_learner_access_id_eqa_access_id_fk" FOREIGN KEY ("access_id") REFERENCES "public"."eqa_access"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_access_learner" ADD CONSTRAINT "eqa_access_learner_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_answer" ADD CONSTRAINT "eqa_answer_report_id_eqa_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."eqa_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_answer" ADD CONSTRAINT "eqa_answer_answered_by_user_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_report" ADD CONSTRAINT "eqa_report_access_id_eqa_access_id_fk" FOREIGN KEY ("access_id") REFERENCES "public"."eqa_access"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eqa_report" ADD CONSTRAINT "eqa_report_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_action" ADD CONSTRAINT "iqa_action_sample_id_iqa_sample_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."iqa_sample"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_action" ADD CONSTRAINT "iqa_action_round_id_iqa_sample_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."iqa_sample_round"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_action" ADD CONSTRAINT "iqa_action_assessor_id_user_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_action_event" ADD CONSTRAINT "iqa_action_event_action_id_iqa_action_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."iqa_action"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_action_event" ADD CONSTRAINT "iqa_action_event_by_id_user_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample" ADD CONSTRAINT "iqa_sample_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample" ADD CONSTRAINT "iqa_sample_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample" ADD CONSTRAINT "iqa_sample_assessor_id_user_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample" ADD CONSTRAINT "iqa_sample_picked_by_user_id_fk" FOREIGN KEY ("picked_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample_draft" ADD CONSTRAINT "iqa_sample_draft_sample_id_iqa_sample_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."iqa_sample"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample_draft" ADD CONSTRAINT "iqa_sample_draft_iqa_id_user_id_fk" FOREIGN KEY ("iqa_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample_round" ADD CONSTRAINT "iqa_sample_round_sample_id_iqa_sample_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."iqa_sample"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample_round" ADD CONSTRAINT "iqa_sample_round_iqa_id_user_id_fk" FOREIGN KEY ("iqa_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample_snapshot" ADD CONSTRAINT "iqa_sample_snapshot_sample_id_iqa_sample_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."iqa_sample"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iqa_sample_snapshot" ADD CONSTRAINT "iqa_sample_snapshot_taken_by_user_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_standing" ADD CONSTRAINT "learner_standing_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_standing" ADD CONSTRAINT "learner_standing_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_standing" ADD CONSTRAINT "learner_standing_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_hold" ADD CONSTRAINT "legal_hold_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_hold" ADD CONSTRAINT "legal_hold_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_hold" ADD CONSTRAINT "legal_hold_placed_by_user_id_fk" FOREIGN KEY ("placed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_hold" ADD CONSTRAINT "legal_hold_released_by_user_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preference" ADD CONSTRAINT "notification_preference_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_record" ADD CONSTRAINT "observation_record_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_record" ADD CONSTRAINT "observation_record_assessor_id_user_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_reset" ADD CONSTRAINT "password_reset_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_document" ADD CONSTRAINT "portfolio_document_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_document" ADD CONSTRAINT "portfolio_document_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_document" ADD CONSTRAINT "portfolio_document_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_document" ADD CONSTRAINT "portfolio_document_issued_by_user_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposal" ADD CONSTRAINT "record_disposal_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposal" ADD CONSTRAINT "record_disposal_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_disposal" ADD CONSTRAINT "record_disposal_disposed_by_user_id_fk" FOREIGN KEY ("disposed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_code" ADD CONSTRAINT "recovery_code_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reflection" ADD CONSTRAINT "reflection_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampling_plan" ADD CONSTRAINT "sampling_plan_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampling_plan" ADD CONSTRAINT "sampling_plan_cohort_id_cohort_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohort"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampling_plan" ADD CONSTRAINT "sampling_plan_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampling_plan" ADD CONSTRAINT "sampling_plan_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenario_archive" ADD CONSTRAINT "scenario_archive_archived_by_user_id_fk" FOREIGN KEY ("archived_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenario_preview" ADD CONSTRAINT "scenario_preview_attempt_id_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenario_preview" ADD CONSTRAINT "scenario_preview_tutor_id_user_id_fk" FOREIGN KEY ("tutor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standardisation_meeting" ADD CONSTRAINT "standardisation_meeting_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standardisation_meeting" ADD CONSTRAINT "standardisation_meeting_plan_id_sampling_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."sampling_plan"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standardisation_meeting" ADD CONSTRAINT "standardisation_meeting_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload" ADD CONSTRAINT "upload_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload" ADD CONSTRAINT "upload_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload_piece" ADD CONSTRAINT "upload_piece_upload_id_upload_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."upload"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "witness_testimony" ADD CONSTRAINT "witness_testimony_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "witness_testimony" ADD CONSTRAINT "witness_testimony_mapped_by_user_id_fk" FOREIGN KEY ("mapped_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "witness_testimony" ADD CONSTRAINT "witness_testimony_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_lock_event" ADD CONSTRAINT "work_lock_event_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_lock_event" ADD CONSTRAINT "work_lock_event_sample_id_iqa_sample_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."iqa_sample"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_lock_event" ADD CONSTRAINT "work_lock_event_round_id_iqa_sample_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."iqa_sample_round"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_lock_event" ADD CONSTRAINT "work_lock_event_by_id_user_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_decision" ADD CONSTRAINT "workplace_decision_evidence_id_workplace_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."workplace_evidence"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_decision" ADD CONSTRAINT "workplace_decision_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_decision" ADD CONSTRAINT "workplace_decision_assessor_id_user_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_decision_countersignature" ADD CONSTRAINT "workplace_decision_countersignature_decision_id_workpl_ae67d2cc" FOREIGN KEY ("decision_id") REFERENCES "public"."workplace_decision"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_decision_countersignature" ADD CONSTRAINT "workplace_decision_countersignature_countersigner_id_user_id_fk" FOREIGN KEY ("countersigner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_evidence" ADD CONSTRAINT "workplace_evidence_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_evidence" ADD CONSTRAINT "workplace_evidence_learner_id_user_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_evidence_file" ADD CONSTRAINT "workplace_evidence_file_evidence_id_workplace_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."workplace_evidence"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workplace_evidence_file" ADD CONSTRAINT "workplace_evidence_file_upload_id_upload_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."upload"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_entry_seq_unique" ON "audit_entry" USING btree ("workspace_id","seq");--> statement-breakpoint
CREATE INDEX "audit_entry_action_idx" ON "audit_entry" USING btree ("workspace_id","action");--> statement-breakpoint
CREATE INDEX "audit_entry_subject_idx" ON "audit_entry" USING btree ("workspace_id","subject");--> statement-breakpoint
CREATE INDEX "authorised_third_party_customer_idx" ON "authorised_third_party" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "breach_workspace_idx" ON "breach" USING btree ("workspace_id","aware_at");--> statement-breakpoint
CREATE UNIQUE INDEX "consent_live_unique" ON "consent" USING btree ("customer_id","purpose_code","channel") WHERE "consent"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "consent_workspace_idx" ON "consent" USING btree ("workspace_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "criminal_offence_value_unique" ON "criminal_offence_value" USING btree ("customer_id","field");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_reference_unique" ON "customer" USING btree ("workspace_id","reference");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_field_unique" ON "customer_field" USING btree ("customer_id","field");--> statement-breakpoint
CREATE INDEX "customer_field_customer_idx" ON "customer_field" USING btree ("workspace_id","customer_id");--> statement-breakpoint
CREATE INDEX "customer_field_lookup_idx" ON "customer_field" USING btree ("workspace_id","field","normalised");--> statement-breakpoint
CREATE INDEX "customer_field_retention_idx" ON "customer_field" USING btree ("workspace_id","retain_until");--> statement-breakpoint
CREATE INDEX "customer_field_history_value_idx" ON "customer_field_history" USING btree ("value_id","version");--> statement-breakpoint
CREATE INDEX "customer_field_history_customer_idx" ON "customer_field_history" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "disclosure_customer_idx" ON "disclosure" USING btree ("workspace_id","customer_id","disclosed_at");--> statement-breakpoint
CREATE INDEX "disposal_run_workspace_idx" ON "disposal_run" USING btree ("workspace_id","ran_at");--> statement-breakpoint
CREATE INDEX "finding_workspace_idx" ON "finding" USING btree ("workspace_id","at");--> statement-breakpoint
CREATE INDEX "interaction_customer_idx" ON "interaction" USING btree ("workspace_id","customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "marketing_objection_customer_idx" ON "marketing_objection" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "opg_register_entry_reference_idx" ON "opg_register_entry" USING btree ("workspace_id","reference");--> statement-breakpoint
CREATE UNIQUE INDEX "purpose_code_unique" ON "purpose" USING btree ("workspace_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "recipient_directory_code_unique" ON "recipient_directory" USING btree ("workspace_id","code");--> statement-breakpoint
CREATE INDEX "recipient_notification_request_idx" ON "recipient_notification" USING btree ("workspace_id","request_id");--> statement-breakpoint
CREATE INDEX "redaction_request_idx" ON "redaction" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "request_transition_request_idx" ON "request_transition" USING btree ("request_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "retention_rule_code_unique" ON "retention_rule" USING btree ("workspace_id","code");--> statement-breakpoint
CREATE INDEX "rights_request_workspace_idx" ON "rights_request" USING btree ("workspace_id","state","due_date");--> statement-breakpoint
CREATE INDEX "rights_request_customer_idx" ON "rights_request" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "special_category_value_unique" ON "special_category_value" USING btree ("customer_id","field");--> statement-breakpoint
CREATE INDEX "verification_attempt_customer_idx" ON "verification_attempt" USING btree ("workspace_id","customer_id","attempted_at");--> statement-breakpoint
CREATE INDEX "attempt_owner_idx" ON "attempt" USING btree ("owner_id","started_at");--> statement-breakpoint
CREATE INDEX "attempt_scenario_idx" ON "attempt" USING btree ("scenario_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_decision_attempt_seq_unique" ON "assessment_decision" USING btree ("attempt_id","sequence");--> statement-breakpoint
CREATE INDEX "assessment_decision_learner_idx" ON "assessment_decision" USING btree ("learner_id","signed_at");--> statement-breakpoint
CREATE INDEX "assessor_profile_change_assessor_idx" ON "assessor_profile_change" USING btree ("assessor_id","changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "assignment_cohort_scenario_unique" ON "assignment" USING btree ("cohort_id","scenario_id");--> statement-breakpoint
CREATE UNIQUE INDEX "centre_retention_rule_code_unique" ON "centre_retention_rule" USING btree ("organisation_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "cohort_name_unique" ON "cohort" USING btree ("organisation_id","name");--> statement-breakpoint
CREATE INDEX "cohort_member_user_idx" ON "cohort_member" USING btree ("user_id","role");--> statement-breakpoint
CREATE INDEX "comment_bank_organisation_idx" ON "comment_bank_entry" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "eqa_access_user_idx" ON "eqa_access" USING btree ("eqa_user_id");--> statement-breakpoint
CREATE INDEX "eqa_access_org_idx" ON "eqa_access" USING btree ("organisation_id","invited_at");--> statement-breakpoint
CREATE INDEX "eqa_answer_report_idx" ON "eqa_answer" USING btree ("report_id","answered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "eqa_report_access_unique" ON "eqa_report" USING btree ("access_id");--> statement-breakpoint
CREATE INDEX "iqa_action_assessor_idx" ON "iqa_action" USING btree ("assessor_id");--> statement-breakpoint
CREATE INDEX "iqa_action_sample_idx" ON "iqa_action" USING btree ("sample_id");--> statement-breakpoint
CREATE INDEX "iqa_action_event_action_idx" ON "iqa_action_event" USING btree ("action_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "iqa_sample_decision_stage_unique" ON "iqa_sample" USING btree ("decision_kind","decision_id","stage");--> statement-breakpoint
CREATE INDEX "iqa_sample_plan_idx" ON "iqa_sample" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "iqa_sample_org_idx" ON "iqa_sample" USING btree ("organisation_id","picked_at");--> statement-breakpoint
CREATE UNIQUE INDEX "iqa_sample_round_unique" ON "iqa_sample_round" USING btree ("sample_id","round");--> statement-breakpoint
CREATE INDEX "learner_standing_org_idx" ON "learner_standing" USING btree ("organisation_id","status");--> statement-breakpoint
CREATE INDEX "legal_hold_learner_idx" ON "legal_hold" USING btree ("learner_id","released_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_subject_unique" ON "notification" USING btree ("user_id","kind","subject");--> statement-breakpoint
CREATE INDEX "notification_user_unread_idx" ON "notification" USING btree ("user_id","read_at","created_at");--> statement-breakpoint
CREATE INDEX "notification_email_idx" ON "notification" USING btree ("email_status");--> statement-breakpoint
CREATE INDEX "observation_record_learner_idx" ON "observation_record" USING btree ("learner_id");--> statement-breakpoint
CREATE INDEX "password_reset_user_idx" ON "password_reset" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "portfolio_document_file_hash_idx" ON "portfolio_document" USING btree ("file_hash");--> statement-breakpoint
CREATE INDEX "portfolio_document_learner_idx" ON "portfolio_document" USING btree ("learner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "record_disposal_learner_class_unique" ON "record_disposal" USING btree ("learner_id","record_class");--> statement-breakpoint
CREATE INDEX "record_disposal_org_idx" ON "record_disposal" USING btree ("organisation_id","disposed_at");--> statement-breakpoint
CREATE INDEX "sampling_plan_org_idx" ON "sampling_plan" USING btree ("organisation_id","cohort_id");--> statement-breakpoint
CREATE INDEX "scenario_preview_tutor_idx" ON "scenario_preview" USING btree ("tutor_id");--> statement-breakpoint
CREATE INDEX "scenario_version_scenario_idx" ON "scenario_version" USING btree ("scenario_id");--> statement-breakpoint
CREATE INDEX "security_event_at_idx" ON "security_event" USING btree ("at");--> statement-breakpoint
CREATE INDEX "security_event_user_idx" ON "security_event" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "standardisation_meeting_plan_idx" ON "standardisation_meeting" USING btree ("plan_id","held_on");--> statement-breakpoint
CREATE INDEX "upload_owner_idx" ON "upload" USING btree ("owner_id","state");--> statement-breakpoint
CREATE INDEX "upload_sha_idx" ON "upload" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "user_organisation_idx" ON "user" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "witness_testimony_learner_idx" ON "witness_testimony" USING btree ("learner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_lock_event_decision_seq_unique" ON "work_lock_event" USING btree ("decision_kind","decision_id","seq");--> statement-breakpoint
CREATE INDEX "work_lock_event_org_idx" ON "work_lock_event" USING btree ("organisation_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "workplace_decision_evidence_seq_unique" ON "workplace_decision" USING btree ("evidence_id","sequence");--> statement-breakpoint
CREATE INDEX "workplace_decision_learner_idx" ON "workplace_decision" USING btree ("learner_id","signed_at");--> statement-breakpoint
CREATE INDEX "workplace_evidence_learner_idx" ON "workplace_evidence" USING btree ("learner_id","state");
--> statement-breakpoint
-- hand-written: pg
-- Everything drizzle-kit cannot declare, the PostgreSQL equivalents of the SQLite migrations'
-- hand-written triggers and FTS5 index (docs/postgresql.md). Messages are SQLite's, word for word.
-- Each append-only table also refuses TRUNCATE, which skips row triggers (SQLite has none).
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch
--> statement-breakpoint
-- A row trigger's refusal: the message is the trigger's first argument.
CREATE FUNCTION custodian_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$$
--> statement-breakpoint
-- True while the disposing transaction holds a permit for the learner (server/retention/records.ts: the row
-- is inserted and deleted inside the disposal's own transaction, so no other session ever sees it).
CREATE FUNCTION custodian_disposal_permitted(learner text) RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM record_disposal_permit p WHERE p.learner_id = learner)
$$
--> statement-breakpoint
-- Append-only: no change at all.
--> statement-breakpoint
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry FOR EACH ROW EXECUTE FUNCTION custodian_refuse('audit log is append-only')
--> statement-breakpoint
CREATE TRIGGER assessment_decision_no_update BEFORE UPDATE ON assessment_decision FOR EACH ROW EXECUTE FUNCTION custodian_refuse('a signed decision cannot be changed; sign a new one that supersedes it')
--> statement-breakpoint
CREATE TRIGGER portfolio_document_no_update BEFORE UPDATE ON portfolio_document FOR EACH ROW EXECUTE FUNCTION custodian_refuse('an issued document record cannot be changed')
--> statement-breakpoint
CREATE TRIGGER security_event_no_update BEFORE UPDATE ON security_event FOR EACH ROW EXECUTE FUNCTION custodian_refuse('security log is append-only')
--> statement-breakpoint
CREATE TRIGGER decision_countersignature_no_update BEFORE UPDATE ON decision_countersignature FOR EACH ROW EXECUTE FUNCTION custodian_refuse('a countersignature cannot be changed')
--> statement-breakpoint
CREATE TRIGGER assessor_profile_change_no_update BEFORE UPDATE ON assessor_profile_change FOR EACH ROW EXECUTE FUNCTION custodian_refuse('an assessor profile''s history cannot be changed')
--> statement-breakpoint
CREATE TRIGGER record_disposal_no_update BEFORE UPDATE ON record_disposal FOR EACH ROW EXECUTE FUNCTION custodian_refuse('the disposal log cannot be changed')
--> statement-breakpoint
CREATE TRIGGER iqa_sample_snapshot_no_update BEFORE UPDATE ON iqa_sample_snapshot FOR EACH ROW EXECUTE FUNCTION custodian_refuse('a sample''s snapshot cannot be changed')
--> statement-breakpoint
CREATE TRIGGER iqa_sample_round_no_update BEFORE UPDATE ON iqa_sample_round FOR EACH ROW EXECUTE FUNCTION custodian_refuse('a signed IQA round cannot be changed')
--> statement-breakpoint
CREATE TRIGGER iqa_action_no_update BEFORE UPDATE ON iqa_action FOR EACH ROW EXECUTE FUNCTION custodian_refuse('an IQA action cannot be changed')
--> statement-breakpoint
CREATE TRIGGER iqa_action_event_no_update BEFORE UPDATE ON iqa_action_event FOR EACH ROW EXECUTE FUNCTION custodian_refuse('an IQA action''s history cannot be changed')
--> statement-breakpoint
CREATE TRIGGER work_lock_event_no_update BEFORE UPDATE ON work_lock_event FOR EACH ROW EXECUTE FUNCTION custodian_refuse('the lock history cannot be changed')
--> statement-breakpoint
CREATE TRIGGER eqa_answer_no_update BEFORE UPDATE ON eqa_answer FOR EACH ROW EXECUTE FUNCTION custodian_refuse('an answer to an EQA report is kept as given; give a new one')
--> statement-breakpoint
CREATE TRIGGER workplace_decision_no_update BEFORE UPDATE ON workplace_decision FOR EACH ROW EXECUTE FUNCTION custodian_refuse('a signed workplace decision cannot be changed')
--> statement-breakpoint
CREATE TRIGGER workplace_decision_countersignature_no_update BEFORE UPDATE ON workplace_decision_countersignature FOR EACH ROW EXECUTE FUNCTION custodian_refuse('a countersignature cannot be changed')
--> statement-breakpoint
CREATE TRIGGER assessor_profile_change_no_delete BEFORE DELETE ON assessor_profile_change FOR EACH ROW EXECUTE FUNCTION custodian_refuse('an assessor profile''s history cannot be deleted')
--> statement-breakpoint
CREATE TRIGGER record_disposal_no_delete BEFORE DELETE ON record_disposal FOR EACH ROW EXECUTE FUNCTION custodian_refuse('the disposal log cannot be deleted')
--> statement-breakpoint
CREATE TRIGGER eqa_answer_no_delete BEFORE DELETE ON eqa_answer FOR EACH ROW EXECUTE FUNCTION custodian_refuse('an answer to an EQA report is kept as given; give a new one')
--> statement-breakpoint
CREATE TRIGGER eqa_access_no_delete BEFORE DELETE ON eqa_access FOR EACH ROW EXECUTE FUNCTION custodian_refuse('an EQA access is kept; revoke it instead')
--> statement-breakpoint
-- Kept once final: a submitted EQA report, a revoked EQA access.
--> statement-breakpoint
CREATE TRIGGER eqa_report_submitted_no_update BEFORE UPDATE ON eqa_report FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL) EXECUTE FUNCTION custodian_refuse('a submitted EQA report cannot be changed')
--> statement-breakpoint
CREATE TRIGGER eqa_report_submitted_no_delete BEFORE DELETE ON eqa_report FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL) EXECUTE FUNCTION custodian_refuse('a submitted EQA report cannot be deleted')
--> statement-breakpoint
CREATE TRIGGER eqa_access_revoked_no_update BEFORE UPDATE ON eqa_access FOR EACH ROW WHEN (OLD.revoked_at IS NOT NULL) EXECUTE FUNCTION custodian_refuse('a revoked EQA access cannot be changed')
--> statement-breakpoint
-- Signed and audited records are deleted only inside a disposal of their learner's records: the
-- condition reads record_disposal_permit, whose row exists only within the disposal's transaction.
--> statement-breakpoint
CREATE FUNCTION audit_entry_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM record_disposal_permit p JOIN attempt a ON a.owner_id = p.learner_id WHERE a.workspace_id = OLD.workspace_id) THEN
		RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_delete_guard()
--> statement-breakpoint
CREATE FUNCTION assessment_decision_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT custodian_disposal_permitted(OLD.learner_id) THEN
		RAISE EXCEPTION 'a signed decision cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER assessment_decision_no_delete BEFORE DELETE ON assessment_decision FOR EACH ROW EXECUTE FUNCTION assessment_decision_delete_guard()
--> statement-breakpoint
CREATE FUNCTION decision_countersignature_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM record_disposal_permit p JOIN assessment_decision d ON d.learner_id = p.learner_id WHERE d.id = OLD.decision_id) THEN
		RAISE EXCEPTION 'a countersignature cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER decision_countersignature_no_delete BEFORE DELETE ON decision_countersignature FOR EACH ROW EXECUTE FUNCTION decision_countersignature_delete_guard()
--> statement-breakpoint
CREATE FUNCTION portfolio_document_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT custodian_disposal_permitted(OLD.learner_id) THEN
		RAISE EXCEPTION 'an issued document record cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER portfolio_document_no_delete BEFORE DELETE ON portfolio_document FOR EACH ROW EXECUTE FUNCTION portfolio_document_delete_guard()
--> statement-breakpoint
CREATE FUNCTION iqa_sample_snapshot_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM record_disposal_permit p JOIN iqa_sample s ON s.learner_id = p.learner_id WHERE s.id = OLD.sample_id) THEN
		RAISE EXCEPTION 'a sample''s snapshot cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER iqa_sample_snapshot_no_delete BEFORE DELETE ON iqa_sample_snapshot FOR EACH ROW EXECUTE FUNCTION iqa_sample_snapshot_delete_guard()
--> statement-breakpoint
CREATE FUNCTION iqa_sample_round_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM record_disposal_permit p JOIN iqa_sample s ON s.learner_id = p.learner_id WHERE s.id = OLD.sample_id) THEN
		RAISE EXCEPTION 'a signed IQA round cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER iqa_sample_round_no_delete BEFORE DELETE ON iqa_sample_round FOR EACH ROW EXECUTE FUNCTION iqa_sample_round_delete_guard()
--> statement-breakpoint
CREATE FUNCTION iqa_action_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM record_disposal_permit p JOIN iqa_sample s ON s.learner_id = p.learner_id WHERE s.id = OLD.sample_id) THEN
		RAISE EXCEPTION 'an IQA action cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER iqa_action_no_delete BEFORE DELETE ON iqa_action FOR EACH ROW EXECUTE FUNCTION iqa_action_delete_guard()
--> statement-breakpoint
CREATE FUNCTION iqa_action_event_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM record_disposal_permit p JOIN iqa_sample s ON s.learner_id = p.learner_id JOIN iqa_action a ON a.sample_id = s.id WHERE a.id = OLD.action_id) THEN
		RAISE EXCEPTION 'an IQA action''s history cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER iqa_action_event_no_delete BEFORE DELETE ON iqa_action_event FOR EACH ROW EXECUTE FUNCTION iqa_action_event_delete_guard()
--> statement-breakpoint
CREATE FUNCTION work_lock_event_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM record_disposal_permit p JOIN iqa_sample s ON s.learner_id = p.learner_id WHERE s.id = OLD.sample_id) THEN
		RAISE EXCEPTION 'the lock history cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER work_lock_event_no_delete BEFORE DELETE ON work_lock_event FOR EACH ROW EXECUTE FUNCTION work_lock_event_delete_guard()
--> statement-breakpoint
CREATE FUNCTION workplace_decision_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT custodian_disposal_permitted(OLD.learner_id) THEN
		RAISE EXCEPTION 'a signed workplace decision cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER workplace_decision_no_delete BEFORE DELETE ON workplace_decision FOR EACH ROW EXECUTE FUNCTION workplace_decision_delete_guard()
--> statement-breakpoint
CREATE FUNCTION workplace_decision_countersignature_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM record_disposal_permit p JOIN workplace_decision d ON d.learner_id = p.learner_id WHERE d.id = OLD.decision_id) THEN
		RAISE EXCEPTION 'a countersignature cannot be deleted' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER workplace_decision_countersignature_no_delete BEFORE DELETE ON workplace_decision_countersignature FOR EACH ROW EXECUTE FUNCTION workplace_decision_countersignature_delete_guard()
--> statement-breakpoint
-- The security event log (ASVS 5.0 §16.4): nothing is removed before the centre's retention period
-- has passed. `at` is ISO text in UTC with milliseconds, compared as text as on SQLite.
CREATE FUNCTION security_event_retention_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.at >= to_char(
		(now() AT TIME ZONE 'UTC') - make_interval(days => (SELECT COALESCE(MAX(security_log_retention_days), 365) FROM organisation)::int),
		'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
	) THEN
		RAISE EXCEPTION 'security events are kept for the retention period' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN OLD;
END
$$
--> statement-breakpoint
CREATE TRIGGER security_event_kept_for_retention BEFORE DELETE ON security_event FOR EACH ROW EXECUTE FUNCTION security_event_retention_guard()
--> statement-breakpoint
-- TRUNCATE skips row triggers: refused outright on every append-only table.
--> statement-breakpoint
CREATE TRIGGER assessment_decision_no_truncate BEFORE TRUNCATE ON assessment_decision FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('assessment_decision cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER assessor_profile_change_no_truncate BEFORE TRUNCATE ON assessor_profile_change FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('assessor_profile_change cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('audit_entry cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER decision_countersignature_no_truncate BEFORE TRUNCATE ON decision_countersignature FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('decision_countersignature cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER eqa_access_no_truncate BEFORE TRUNCATE ON eqa_access FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('eqa_access cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER eqa_answer_no_truncate BEFORE TRUNCATE ON eqa_answer FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('eqa_answer cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER eqa_report_no_truncate BEFORE TRUNCATE ON eqa_report FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('eqa_report cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER iqa_action_no_truncate BEFORE TRUNCATE ON iqa_action FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('iqa_action cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER iqa_action_event_no_truncate BEFORE TRUNCATE ON iqa_action_event FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('iqa_action_event cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER iqa_sample_round_no_truncate BEFORE TRUNCATE ON iqa_sample_round FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('iqa_sample_round cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER iqa_sample_snapshot_no_truncate BEFORE TRUNCATE ON iqa_sample_snapshot FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('iqa_sample_snapshot cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER portfolio_document_no_truncate BEFORE TRUNCATE ON portfolio_document FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('portfolio_document cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER record_disposal_no_truncate BEFORE TRUNCATE ON record_disposal FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('record_disposal cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER security_event_no_truncate BEFORE TRUNCATE ON security_event FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('security_event cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER work_lock_event_no_truncate BEFORE TRUNCATE ON work_lock_event FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('work_lock_event cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER workplace_decision_no_truncate BEFORE TRUNCATE ON workplace_decision FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('workplace_decision cannot be truncated')
--> statement-breakpoint
CREATE TRIGGER workplace_decision_countersignature_no_truncate BEFORE TRUNCATE ON workplace_decision_countersignature FOR EACH STATEMENT EXECUTE FUNCTION custodian_refuse('workplace_decision_countersignature cannot be truncated')
--> statement-breakpoint
-- Customer name search (core/search-pg.ts), the counterpart of SQLite's FTS5 index (0005): one row
-- per customer, made when the customer is, holding the folded form of all their names. `position`
-- is the customer's creation order (SQLite ranks ties by rowid); `document`'s GIN index finds
-- exact, partial (prefix) and, by first letter, misspelt words' candidates (docs/postgresql.md).
CREATE TABLE customer_name_search (
	customer_id text PRIMARY KEY REFERENCES customer (id) ON DELETE CASCADE,
	workspace_id text NOT NULL,
	position bigint GENERATED ALWAYS AS IDENTITY,
	names text NOT NULL DEFAULT '',
	document tsvector GENERATED ALWAYS AS (to_tsvector('simple', names)) STORED
)
--> statement-breakpoint
CREATE INDEX customer_name_search_workspace_idx ON customer_name_search (workspace_id, position)
--> statement-breakpoint
CREATE INDEX customer_name_search_document_idx ON customer_name_search USING gin (document)

--> statement-breakpoint
CREATE FUNCTION customer_name_search_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO customer_name_search (customer_id, workspace_id) VALUES (NEW.id, NEW.workspace_id);
	RETURN NULL;
END
$$
--> statement-breakpoint
CREATE TRIGGER customer_name_search_add AFTER INSERT ON customer FOR EACH ROW EXECUTE FUNCTION customer_name_search_add()
--> statement-breakpoint
-- Rebuilds one customer's names from customer_field, so a corrected or erased name leaves the index.
CREATE FUNCTION customer_name_search_refresh(target text) RETURNS void LANGUAGE sql AS $$
	UPDATE customer_name_search s SET names = COALESCE((
		SELECT string_agg(f.normalised, ' ' ORDER BY f.field, f.id) FROM customer_field f
		WHERE f.customer_id = target AND f.field IN ('givenName', 'middleNames', 'familyName', 'preferredName') AND f.normalised IS NOT NULL
	), '')
	WHERE s.customer_id = target
$$
--> statement-breakpoint
CREATE FUNCTION customer_name_search_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' AND OLD.field IN ('givenName', 'middleNames', 'familyName', 'preferredName') THEN
		PERFORM customer_name_search_refresh(OLD.customer_id);
	END IF;
	IF TG_OP <> 'DELETE' AND NEW.field IN ('givenName', 'middleNames', 'familyName', 'preferredName')
		AND (TG_OP = 'INSERT' OR NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.field IS DISTINCT FROM OLD.field OR NEW.normalised IS DISTINCT FROM OLD.normalised) THEN
		PERFORM customer_name_search_refresh(NEW.customer_id);
	END IF;
	RETURN NULL;
END
$$
--> statement-breakpoint
CREATE TRIGGER customer_name_search_follow AFTER INSERT OR UPDATE OR DELETE ON customer_field FOR EACH ROW EXECUTE FUNCTION customer_name_search_follow()
--> statement-breakpoint
-- The order rows were inserted in, where SQLite's rowid breaks ties between rows of one time (core/
-- database.ts insertionOrder). Filled by PostgreSQL on insert; no drizzle declaration names it.
ALTER TABLE "iqa_action_event" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "breach" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "finding" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "customer_field_history" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "rights_request" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "request_transition" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "disclosure" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "interaction" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "redaction" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "consent" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "marketing_objection" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "verification_attempt" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "authorised_third_party" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
