CREATE TABLE `workspace` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_name` text NOT NULL,
	`region` text NOT NULL,
	`policy_mode` text NOT NULL,
	`dpo_name` text NOT NULL,
	`dpo_email` text NOT NULL,
	`dpo_phone` text DEFAULT '' NOT NULL,
	`settings` text NOT NULL,
	`created_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `disposal_run` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`as_of` text NOT NULL,
	`ran_at` text NOT NULL,
	`ran_by` text NOT NULL,
	`counts` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `disposal_run_workspace_idx` ON `disposal_run` (`workspace_id`,`ran_at`);--> statement-breakpoint
CREATE TABLE `retention_rule` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`code` text NOT NULL,
	`description` text NOT NULL,
	`period_months` integer NOT NULL,
	`trigger` text NOT NULL,
	`action` text NOT NULL,
	`authority` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `retention_rule_code_unique` ON `retention_rule` (`workspace_id`,`code`);--> statement-breakpoint
CREATE TABLE `purpose` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`lawful_basis` text NOT NULL,
	`basis_detail` text DEFAULT '' NOT NULL,
	`direct_marketing` integer DEFAULT false NOT NULL,
	`fields` text NOT NULL,
	`required_fields` text NOT NULL,
	`categories` text NOT NULL,
	`data_subject_categories` text NOT NULL,
	`recipient_categories` text NOT NULL,
	`transfers` text DEFAULT '' NOT NULL,
	`retention_rule_id` text NOT NULL,
	`automated_decision_making` text DEFAULT '' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`retention_rule_id`) REFERENCES `retention_rule`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purpose_code_unique` ON `purpose` (`workspace_id`,`code`);--> statement-breakpoint
CREATE TABLE `criminal_offence_value` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`field` text NOT NULL,
	`value` text,
	`schedule1_condition` text NOT NULL,
	`purpose_code` text NOT NULL,
	`lawful_basis` text NOT NULL,
	`source` text NOT NULL,
	`source_detail` text DEFAULT '' NOT NULL,
	`collected_at` text NOT NULL,
	`retention_rule_id` text NOT NULL,
	`retain_until` text,
	`accuracy` text DEFAULT 'ok' NOT NULL,
	`restricted` integer DEFAULT false NOT NULL,
	`legal_hold` integer DEFAULT false NOT NULL,
	`legal_hold_reason` text DEFAULT '' NOT NULL,
	`erased_at` text,
	`anonymised_at` text,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`retention_rule_id`) REFERENCES `retention_rule`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `criminal_offence_value_unique` ON `criminal_offence_value` (`customer_id`,`field`);--> statement-breakpoint
CREATE TABLE `customer` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`reference` text NOT NULL,
	`created_at` text NOT NULL,
	`relationship_ended_at` text,
	`erased_at` text,
	`suppressed` integer DEFAULT false NOT NULL,
	`suppressed_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_reference_unique` ON `customer` (`workspace_id`,`reference`);--> statement-breakpoint
CREATE TABLE `customer_field` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`field` text NOT NULL,
	`category` text NOT NULL,
	`value` text,
	`normalised` text,
	`purpose_code` text NOT NULL,
	`lawful_basis` text NOT NULL,
	`source` text NOT NULL,
	`source_detail` text DEFAULT '' NOT NULL,
	`collected_at` text NOT NULL,
	`retention_rule_id` text NOT NULL,
	`retain_until` text,
	`accuracy` text DEFAULT 'ok' NOT NULL,
	`restricted` integer DEFAULT false NOT NULL,
	`legal_hold` integer DEFAULT false NOT NULL,
	`legal_hold_reason` text DEFAULT '' NOT NULL,
	`erased_at` text,
	`anonymised_at` text,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`retention_rule_id`) REFERENCES `retention_rule`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_field_unique` ON `customer_field` (`customer_id`,`field`);--> statement-breakpoint
CREATE INDEX `customer_field_lookup_idx` ON `customer_field` (`workspace_id`,`field`,`normalised`);--> statement-breakpoint
CREATE INDEX `customer_field_retention_idx` ON `customer_field` (`workspace_id`,`retain_until`);--> statement-breakpoint
CREATE TABLE `customer_field_history` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`value_kind` text NOT NULL,
	`value_id` text NOT NULL,
	`field` text NOT NULL,
	`change` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`version` integer NOT NULL,
	`actor_id` text NOT NULL,
	`actor_role` text NOT NULL,
	`at` text NOT NULL,
	`reason` text NOT NULL,
	`request_id` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_field_history_value_idx` ON `customer_field_history` (`value_id`,`version`);--> statement-breakpoint
CREATE INDEX `customer_field_history_customer_idx` ON `customer_field_history` (`customer_id`);--> statement-breakpoint
CREATE TABLE `special_category_value` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`field` text NOT NULL,
	`special_category` text NOT NULL,
	`value` text,
	`art9_condition` text NOT NULL,
	`schedule1_condition` text DEFAULT '' NOT NULL,
	`purpose_code` text NOT NULL,
	`lawful_basis` text NOT NULL,
	`source` text NOT NULL,
	`source_detail` text DEFAULT '' NOT NULL,
	`collected_at` text NOT NULL,
	`retention_rule_id` text NOT NULL,
	`retain_until` text,
	`accuracy` text DEFAULT 'ok' NOT NULL,
	`restricted` integer DEFAULT false NOT NULL,
	`legal_hold` integer DEFAULT false NOT NULL,
	`legal_hold_reason` text DEFAULT '' NOT NULL,
	`erased_at` text,
	`anonymised_at` text,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`retention_rule_id`) REFERENCES `retention_rule`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `special_category_value_unique` ON `special_category_value` (`customer_id`,`field`);--> statement-breakpoint
CREATE TABLE `consent` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`purpose_code` text NOT NULL,
	`channel` text NOT NULL,
	`given_by` text NOT NULL,
	`third_party_id` text,
	`method` text NOT NULL,
	`notice_version` text NOT NULL,
	`taken_by` text NOT NULL,
	`evidence_ref` text NOT NULL,
	`given_at` text NOT NULL,
	`withdrawn_at` text,
	`withdrawn_by` text,
	`withdrawal_method` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consent_live_unique` ON `consent` (`customer_id`,`purpose_code`,`channel`) WHERE "consent"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX `consent_workspace_idx` ON `consent` (`workspace_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `marketing_objection` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`channel` text NOT NULL,
	`received_at` text NOT NULL,
	`recorded_by` text NOT NULL,
	`interaction_id` text,
	`request_id` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `marketing_objection_customer_idx` ON `marketing_objection` (`customer_id`);--> statement-breakpoint
CREATE TABLE `authorised_third_party` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`name` text NOT NULL,
	`relationship` text NOT NULL,
	`authority_type` text NOT NULL,
	`evidence_ref` text NOT NULL,
	`scope_categories` text NOT NULL,
	`scope_actions` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `authorised_third_party_customer_idx` ON `authorised_third_party` (`customer_id`);--> statement-breakpoint
CREATE TABLE `interaction` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text,
	`channel` text NOT NULL,
	`direction` text NOT NULL,
	`party_type` text NOT NULL,
	`third_party_id` text,
	`occurred_at` text NOT NULL,
	`nature` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`actions_taken` text NOT NULL,
	`handled_by` text NOT NULL,
	`logged_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `interaction_customer_idx` ON `interaction` (`workspace_id`,`customer_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `verification_attempt` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text,
	`interaction_id` text,
	`request_id` text,
	`requester_type` text NOT NULL,
	`third_party_id` text,
	`method` text NOT NULL,
	`items_supplied` text NOT NULL,
	`items_matched` text NOT NULL,
	`items_mismatched` text NOT NULL,
	`items_read_out` text NOT NULL,
	`outcome` text NOT NULL,
	`attempted_at` text NOT NULL,
	`attempted_by` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `verification_attempt_customer_idx` ON `verification_attempt` (`workspace_id`,`customer_id`,`attempted_at`);--> statement-breakpoint
CREATE TABLE `disclosure` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`recipient_type` text NOT NULL,
	`recipient_name` text NOT NULL,
	`recipient_organisation` text DEFAULT '' NOT NULL,
	`third_party_id` text,
	`recipient_role` text DEFAULT '' NOT NULL,
	`verification_attempt_id` text,
	`recipient_verified_how` text DEFAULT '' NOT NULL,
	`authority_evidence` text DEFAULT '' NOT NULL,
	`route` text NOT NULL,
	`authorised` integer NOT NULL,
	`manner` text NOT NULL,
	`fields` text NOT NULL,
	`categories` text NOT NULL,
	`purpose_code` text DEFAULT '' NOT NULL,
	`basis_or_exemption` text NOT NULL,
	`prejudice_test` text DEFAULT '' NOT NULL,
	`channel` text NOT NULL,
	`disclosed_by` text NOT NULL,
	`approved_by` text,
	`request_id` text,
	`interaction_id` text,
	`breach_id` text,
	`disclosed_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `disclosure_customer_idx` ON `disclosure` (`workspace_id`,`customer_id`,`disclosed_at`);--> statement-breakpoint
CREATE TABLE `redaction` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`request_id` text NOT NULL,
	`source_table` text NOT NULL,
	`source_id` text NOT NULL,
	`source_field` text NOT NULL,
	`third_party_description` text NOT NULL,
	`decision` text NOT NULL,
	`reason` text NOT NULL,
	`decided_by` text NOT NULL,
	`decided_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `rights_request`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `redaction_request_idx` ON `redaction` (`request_id`);--> statement-breakpoint
CREATE TABLE `request_transition` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`request_id` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_role` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`due_date_before` text,
	`due_date_after` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `rights_request`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `request_transition_request_idx` ON `request_transition` (`request_id`,`at`);--> statement-breakpoint
CREATE TABLE `rights_request` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`channel` text NOT NULL,
	`verbal` integer NOT NULL,
	`description` text NOT NULL,
	`particulars` text NOT NULL,
	`requester_type` text NOT NULL,
	`third_party_id` text,
	`verification_attempt_id` text,
	`electronic` integer NOT NULL,
	`interaction_id` text,
	`received_at` text NOT NULL,
	`received_by` text NOT NULL,
	`id_requested_at` text,
	`id_received_at` text,
	`fee_requested_at` text,
	`fee_pence` integer,
	`fee_received_at` text,
	`clarification_requested_at` text,
	`clarification_received_at` text,
	`paused_days` integer DEFAULT 0 NOT NULL,
	`relevant_time` text NOT NULL,
	`due_date` text NOT NULL,
	`extended` integer DEFAULT false NOT NULL,
	`extension_reason` text,
	`extension_notified_at` text,
	`refusal_reason` text,
	`response` text,
	`responded_at` text,
	`closed_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rights_request_workspace_idx` ON `rights_request` (`workspace_id`,`state`,`due_date`);--> statement-breakpoint
CREATE INDEX `rights_request_customer_idx` ON `rights_request` (`customer_id`);--> statement-breakpoint
CREATE TABLE `breach` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`aware_at` text NOT NULL,
	`occurred_at` text,
	`report_due_at` text NOT NULL,
	`description` text NOT NULL,
	`data_categories` text NOT NULL,
	`subject_categories` text NOT NULL,
	`approx_subjects` integer NOT NULL,
	`approx_records` integer NOT NULL,
	`affected_customer_ids` text NOT NULL,
	`likely_consequences` text DEFAULT '' NOT NULL,
	`measures_taken` text DEFAULT '' NOT NULL,
	`risk` text DEFAULT 'unassessed' NOT NULL,
	`risk_assessment` text DEFAULT '' NOT NULL,
	`assessed_at` text,
	`assessed_by` text,
	`ico_notified_at` text,
	`ico_reference` text,
	`late_reasons` text,
	`not_notified_reason` text,
	`subjects_told_at` text,
	`subjects_not_told_reason` text,
	`source_disclosure_id` text,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	`closed_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `breach_workspace_idx` ON `breach` (`workspace_id`,`aware_at`);--> statement-breakpoint
CREATE TABLE `finding` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`code` text NOT NULL,
	`rule` text NOT NULL,
	`message` text NOT NULL,
	`field` text,
	`subject_type` text,
	`subject_id` text,
	`details` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_role` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `finding_workspace_idx` ON `finding` (`workspace_id`,`at`);--> statement-breakpoint
CREATE TABLE `audit_entry` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_role` text NOT NULL,
	`action` text NOT NULL,
	`subject_type` text,
	`subject` text,
	`fields` text NOT NULL,
	`details` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_entry_seq_unique` ON `audit_entry` (`workspace_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_entry_action_idx` ON `audit_entry` (`workspace_id`,`action`);--> statement-breakpoint
CREATE INDEX `audit_entry_subject_idx` ON `audit_entry` (`workspace_id`,`subject`);