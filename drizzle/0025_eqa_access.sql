CREATE TABLE `eqa_access` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`eqa_user_id` text NOT NULL,
	`cohort_id` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`invited_by` text NOT NULL,
	`invited_at` text NOT NULL,
	`revoked_at` text,
	`revoked_by` text,
	`revoked_reason` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`eqa_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohort`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invited_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `eqa_access_user_idx` ON `eqa_access` (`eqa_user_id`);--> statement-breakpoint
CREATE INDEX `eqa_access_org_idx` ON `eqa_access` (`organisation_id`,`invited_at`);--> statement-breakpoint
CREATE TABLE `eqa_access_learner` (
	`access_id` text NOT NULL,
	`learner_id` text NOT NULL,
	PRIMARY KEY(`access_id`, `learner_id`),
	FOREIGN KEY (`access_id`) REFERENCES `eqa_access`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `eqa_answer` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`action_id` text,
	`answer` text NOT NULL,
	`answered_by` text NOT NULL,
	`answered_at` text NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `eqa_report`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `eqa_answer_report_idx` ON `eqa_answer` (`report_id`,`answered_at`);--> statement-breakpoint
CREATE TABLE `eqa_report` (
	`id` text PRIMARY KEY NOT NULL,
	`access_id` text NOT NULL,
	`author_id` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`findings` text NOT NULL,
	`actions` text NOT NULL,
	`risk` text,
	`updated_at` text NOT NULL,
	`submitted_at` text,
	FOREIGN KEY (`access_id`) REFERENCES `eqa_access`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eqa_report_access_unique` ON `eqa_report` (`access_id`);--> statement-breakpoint
-- hand-written: eqa
CREATE TRIGGER eqa_report_submitted_no_update BEFORE UPDATE ON eqa_report
WHEN OLD.submitted_at IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a submitted EQA report cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER eqa_report_submitted_no_delete BEFORE DELETE ON eqa_report
WHEN OLD.submitted_at IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a submitted EQA report cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER eqa_answer_no_update BEFORE UPDATE ON eqa_answer
BEGIN
	SELECT RAISE(ABORT, 'an answer to an EQA report is kept as given; give a new one');
END;
--> statement-breakpoint
CREATE TRIGGER eqa_answer_no_delete BEFORE DELETE ON eqa_answer
BEGIN
	SELECT RAISE(ABORT, 'an answer to an EQA report is kept as given; give a new one');
END;
--> statement-breakpoint
CREATE TRIGGER eqa_access_revoked_no_update BEFORE UPDATE ON eqa_access
WHEN OLD.revoked_at IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a revoked EQA access cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER eqa_access_no_delete BEFORE DELETE ON eqa_access
BEGIN
	SELECT RAISE(ABORT, 'an EQA access is kept; revoke it instead');
END;
