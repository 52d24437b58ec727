CREATE TABLE `assessment_decision` (
	`id` text PRIMARY KEY NOT NULL,
	`attempt_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`assessor_id` text NOT NULL,
	`sequence` integer NOT NULL,
	`supersedes_id` text,
	`outcome` text NOT NULL,
	`feedback` text NOT NULL,
	`next_steps` text DEFAULT '' NOT NULL,
	`points` text NOT NULL,
	`criteria` text NOT NULL,
	`assessor_note` text DEFAULT '' NOT NULL,
	`evidence_hash` text NOT NULL,
	`signed_name` text NOT NULL,
	`signed_at` text NOT NULL,
	`signature_hash` text NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessment_decision_attempt_seq_unique` ON `assessment_decision` (`attempt_id`,`sequence`);--> statement-breakpoint
CREATE INDEX `assessment_decision_learner_idx` ON `assessment_decision` (`learner_id`,`signed_at`);--> statement-breakpoint
CREATE TABLE `assessment_draft` (
	`attempt_id` text NOT NULL,
	`assessor_id` text NOT NULL,
	`content` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`attempt_id`, `assessor_id`),
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `comment_bank_entry` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`criterion` text,
	`text` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `comment_bank_organisation_idx` ON `comment_bank_entry` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `observation_record` (
	`id` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`assessor_id` text NOT NULL,
	`observed_on` text NOT NULL,
	`setting` text NOT NULL,
	`description` text NOT NULL,
	`criteria` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `observation_record_learner_idx` ON `observation_record` (`learner_id`);--> statement-breakpoint
CREATE TABLE `portfolio_document` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`kind` text NOT NULL,
	`attempt_id` text,
	`content_hash` text NOT NULL,
	`file_hash` text NOT NULL,
	`page_count` integer NOT NULL,
	`byte_length` integer NOT NULL,
	`issued_at` text NOT NULL,
	`issued_by` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `portfolio_document_file_hash_idx` ON `portfolio_document` (`file_hash`);--> statement-breakpoint
CREATE INDEX `portfolio_document_learner_idx` ON `portfolio_document` (`learner_id`);--> statement-breakpoint
CREATE TABLE `witness_testimony` (
	`id` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`witness_name` text NOT NULL,
	`witness_role` text NOT NULL,
	`relationship` text NOT NULL,
	`statement` text NOT NULL,
	`witnessed_on` text NOT NULL,
	`declared_criteria` text NOT NULL,
	`criteria` text,
	`mapped_by` text,
	`mapped_at` text,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mapped_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `witness_testimony_learner_idx` ON `witness_testimony` (`learner_id`);--> statement-breakpoint
CREATE TABLE `assignment` (
	`id` text PRIMARY KEY NOT NULL,
	`cohort_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`due_on` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_at` text NOT NULL,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohort`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignment_cohort_scenario_unique` ON `assignment` (`cohort_id`,`scenario_id`);--> statement-breakpoint
CREATE TABLE `cohort` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`archived_at` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cohort_name_unique` ON `cohort` (`organisation_id`,`name`);--> statement-breakpoint
CREATE TABLE `cohort_member` (
	`cohort_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`cohort_id`, `user_id`, `role`),
	FOREIGN KEY (`cohort_id`) REFERENCES `cohort`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cohort_member_user_idx` ON `cohort_member` (`user_id`,`role`);--> statement-breakpoint
CREATE TABLE `centre_retention_rule` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`code` text NOT NULL,
	`description` text NOT NULL,
	`period_months` integer NOT NULL,
	`trigger` text NOT NULL,
	`action` text NOT NULL,
	`authority` text DEFAULT '' NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `centre_retention_rule_code_unique` ON `centre_retention_rule` (`organisation_id`,`code`);--> statement-breakpoint
CREATE TABLE `centre_scenario` (
	`scenario_id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`draft_source` text NOT NULL,
	`based_on` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `scenario_archive` (
	`scenario_id` text PRIMARY KEY NOT NULL,
	`archived_by` text NOT NULL,
	`archived_at` text NOT NULL,
	FOREIGN KEY (`archived_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `scenario_preview` (
	`attempt_id` text PRIMARY KEY NOT NULL,
	`tutor_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`source` text NOT NULL,
	`started_at` text NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tutor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `scenario_preview_tutor_idx` ON `scenario_preview` (`tutor_id`);--> statement-breakpoint
-- A signed decision is final (issue 6): a new judgement supersedes it in a new row; nothing edits or removes one.
CREATE TRIGGER `assessment_decision_no_update` BEFORE UPDATE ON `assessment_decision`
BEGIN
	SELECT RAISE(ABORT, 'a signed decision cannot be changed; sign a new one that supersedes it');
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_decision_no_delete` BEFORE DELETE ON `assessment_decision`
BEGIN
	SELECT RAISE(ABORT, 'a signed decision cannot be deleted');
END;
--> statement-breakpoint
-- An issued document's record is what verification trusts: it is never changed or removed.
CREATE TRIGGER `portfolio_document_no_update` BEFORE UPDATE ON `portfolio_document`
BEGIN
	SELECT RAISE(ABORT, 'an issued document record cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `portfolio_document_no_delete` BEFORE DELETE ON `portfolio_document`
BEGIN
	SELECT RAISE(ABORT, 'an issued document record cannot be deleted');
END;
