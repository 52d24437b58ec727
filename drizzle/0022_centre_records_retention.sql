CREATE TABLE `legal_hold` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`reason` text NOT NULL,
	`placed_by` text NOT NULL,
	`placed_at` text NOT NULL,
	`released_by` text,
	`released_at` text,
	`release_reason` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`placed_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`released_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `legal_hold_learner_idx` ON `legal_hold` (`learner_id`,`released_at`);--> statement-breakpoint
CREATE TABLE `record_disposal` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`record_class` text NOT NULL,
	`certified_on` text NOT NULL,
	`retention_years` integer NOT NULL,
	`counts` text NOT NULL,
	`disposed_by` text,
	`disposed_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`disposed_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `record_disposal_learner_class_unique` ON `record_disposal` (`learner_id`,`record_class`);--> statement-breakpoint
CREATE INDEX `record_disposal_org_idx` ON `record_disposal` (`organisation_id`,`disposed_at`);--> statement-breakpoint
CREATE TABLE `record_disposal_permit` (
	`learner_id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `organisation` ADD `evidence_retention_years` integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE `organisation` ADD `decision_retention_years` integer DEFAULT 3 NOT NULL;--> statement-breakpoint
-- hand-written: centre_records_retention
-- Signed and audited records stay undeletable, except inside a disposal of their learner's records
-- (a row in record_disposal_permit, present only within the disposal's transaction).
DROP TRIGGER `audit_entry_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `audit_entry_no_delete` BEFORE DELETE ON `audit_entry`
WHEN NOT EXISTS (
	SELECT 1 FROM `record_disposal_permit` p JOIN `attempt` a ON a.`owner_id` = p.`learner_id`
	WHERE a.`workspace_id` = OLD.`workspace_id`
)
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
--> statement-breakpoint
DROP TRIGGER `assessment_decision_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `assessment_decision_no_delete` BEFORE DELETE ON `assessment_decision`
WHEN NOT EXISTS (SELECT 1 FROM `record_disposal_permit` p WHERE p.`learner_id` = OLD.`learner_id`)
BEGIN
	SELECT RAISE(ABORT, 'a signed decision cannot be deleted');
END;
--> statement-breakpoint
DROP TRIGGER `decision_countersignature_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `decision_countersignature_no_delete` BEFORE DELETE ON `decision_countersignature`
WHEN NOT EXISTS (
	SELECT 1 FROM `record_disposal_permit` p JOIN `assessment_decision` d ON d.`learner_id` = p.`learner_id`
	WHERE d.`id` = OLD.`decision_id`
)
BEGIN
	SELECT RAISE(ABORT, 'a countersignature cannot be deleted');
END;
--> statement-breakpoint
DROP TRIGGER `portfolio_document_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `portfolio_document_no_delete` BEFORE DELETE ON `portfolio_document`
WHEN NOT EXISTS (SELECT 1 FROM `record_disposal_permit` p WHERE p.`learner_id` = OLD.`learner_id`)
BEGIN
	SELECT RAISE(ABORT, 'an issued document record cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `record_disposal_no_update` BEFORE UPDATE ON `record_disposal`
BEGIN
	SELECT RAISE(ABORT, 'the disposal log cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `record_disposal_no_delete` BEFORE DELETE ON `record_disposal`
BEGIN
	SELECT RAISE(ABORT, 'the disposal log cannot be deleted');
END;
