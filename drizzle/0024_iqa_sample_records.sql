CREATE TABLE `iqa_action` (
	`id` text PRIMARY KEY NOT NULL,
	`sample_id` text NOT NULL,
	`round_id` text NOT NULL,
	`assessor_id` text NOT NULL,
	`criterion` text NOT NULL,
	`action` text NOT NULL,
	`target_date` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`sample_id`) REFERENCES `iqa_sample`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `iqa_sample_round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `iqa_action_assessor_idx` ON `iqa_action` (`assessor_id`);--> statement-breakpoint
CREATE INDEX `iqa_action_sample_idx` ON `iqa_action` (`sample_id`);--> statement-breakpoint
CREATE TABLE `iqa_action_event` (
	`id` text PRIMARY KEY NOT NULL,
	`action_id` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`by_id` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`action_id`) REFERENCES `iqa_action`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `iqa_action_event_action_idx` ON `iqa_action_event` (`action_id`,`at`);--> statement-breakpoint
CREATE TABLE `iqa_sample_draft` (
	`sample_id` text PRIMARY KEY NOT NULL,
	`iqa_id` text NOT NULL,
	`content` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`sample_id`) REFERENCES `iqa_sample`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`iqa_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `iqa_sample_round` (
	`id` text PRIMARY KEY NOT NULL,
	`sample_id` text NOT NULL,
	`round` integer NOT NULL,
	`iqa_id` text NOT NULL,
	`snapshot_hash` text NOT NULL,
	`vacs` text NOT NULL,
	`criteria` text NOT NULL,
	`feedback` text NOT NULL,
	`signed_name` text NOT NULL,
	`signed_at` text NOT NULL,
	`signature_hash` text NOT NULL,
	`hash_encoding` text NOT NULL,
	FOREIGN KEY (`sample_id`) REFERENCES `iqa_sample`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`iqa_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iqa_sample_round_unique` ON `iqa_sample_round` (`sample_id`,`round`);--> statement-breakpoint
CREATE TABLE `iqa_sample_snapshot` (
	`sample_id` text PRIMARY KEY NOT NULL,
	`snapshot` text NOT NULL,
	`snapshot_hash` text NOT NULL,
	`hash_encoding` text NOT NULL,
	`taken_by` text NOT NULL,
	`taken_at` text NOT NULL,
	FOREIGN KEY (`sample_id`) REFERENCES `iqa_sample`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`taken_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `work_lock_event` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`decision_kind` text NOT NULL,
	`decision_id` text NOT NULL,
	`sample_id` text NOT NULL,
	`round_id` text,
	`kind` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`by_id` text NOT NULL,
	`at` text NOT NULL,
	`seq` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sample_id`) REFERENCES `iqa_sample`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `iqa_sample_round`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `work_lock_event_decision_seq_unique` ON `work_lock_event` (`decision_kind`,`decision_id`,`seq`);--> statement-breakpoint
CREATE INDEX `work_lock_event_org_idx` ON `work_lock_event` (`organisation_id`,`at`);--> statement-breakpoint
-- hand-written: sample
-- The IQA's signed records are immutable and undeletable, except inside a disposal of the sample's
-- learner's records (a row in record_disposal_permit, present only within the disposal's transaction).
CREATE TRIGGER `iqa_sample_snapshot_no_update` BEFORE UPDATE ON `iqa_sample_snapshot`
BEGIN
	SELECT RAISE(ABORT, 'a sample''s snapshot cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `iqa_sample_snapshot_no_delete` BEFORE DELETE ON `iqa_sample_snapshot`
WHEN NOT EXISTS (SELECT 1 FROM `record_disposal_permit` p JOIN `iqa_sample` s ON s.`learner_id` = p.`learner_id` WHERE s.`id` = OLD.`sample_id`)
BEGIN
	SELECT RAISE(ABORT, 'a sample''s snapshot cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `iqa_sample_round_no_update` BEFORE UPDATE ON `iqa_sample_round`
BEGIN
	SELECT RAISE(ABORT, 'a signed IQA round cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `iqa_sample_round_no_delete` BEFORE DELETE ON `iqa_sample_round`
WHEN NOT EXISTS (SELECT 1 FROM `record_disposal_permit` p JOIN `iqa_sample` s ON s.`learner_id` = p.`learner_id` WHERE s.`id` = OLD.`sample_id`)
BEGIN
	SELECT RAISE(ABORT, 'a signed IQA round cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `iqa_action_no_update` BEFORE UPDATE ON `iqa_action`
BEGIN
	SELECT RAISE(ABORT, 'an IQA action cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `iqa_action_no_delete` BEFORE DELETE ON `iqa_action`
WHEN NOT EXISTS (SELECT 1 FROM `record_disposal_permit` p JOIN `iqa_sample` s ON s.`learner_id` = p.`learner_id` WHERE s.`id` = OLD.`sample_id`)
BEGIN
	SELECT RAISE(ABORT, 'an IQA action cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `iqa_action_event_no_update` BEFORE UPDATE ON `iqa_action_event`
BEGIN
	SELECT RAISE(ABORT, 'an IQA action''s history cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `iqa_action_event_no_delete` BEFORE DELETE ON `iqa_action_event`
WHEN NOT EXISTS (SELECT 1 FROM `record_disposal_permit` p JOIN `iqa_sample` s ON s.`learner_id` = p.`learner_id` JOIN `iqa_action` a ON a.`sample_id` = s.`id` WHERE a.`id` = OLD.`action_id`)
BEGIN
	SELECT RAISE(ABORT, 'an IQA action''s history cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `work_lock_event_no_update` BEFORE UPDATE ON `work_lock_event`
BEGIN
	SELECT RAISE(ABORT, 'the lock history cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `work_lock_event_no_delete` BEFORE DELETE ON `work_lock_event`
WHEN NOT EXISTS (SELECT 1 FROM `record_disposal_permit` p JOIN `iqa_sample` s ON s.`learner_id` = p.`learner_id` WHERE s.`id` = OLD.`sample_id`)
BEGIN
	SELECT RAISE(ABORT, 'the lock history cannot be deleted');
END;
