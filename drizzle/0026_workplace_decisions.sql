CREATE TABLE `workplace_decision` (
	`id` text PRIMARY KEY NOT NULL,
	`evidence_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`assessor_id` text NOT NULL,
	`sequence` integer NOT NULL,
	`supersedes_id` text,
	`outcome` text NOT NULL,
	`feedback` text NOT NULL,
	`next_steps` text DEFAULT '' NOT NULL,
	`criteria` text NOT NULL,
	`assessor_note` text DEFAULT '' NOT NULL,
	`evidence` text NOT NULL,
	`evidence_hash` text NOT NULL,
	`signed_name` text NOT NULL,
	`signed_at` text NOT NULL,
	`signature_hash` text NOT NULL,
	`hash_encoding` text NOT NULL,
	`requires_countersignature` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`evidence_id`) REFERENCES `workplace_evidence`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workplace_decision_evidence_seq_unique` ON `workplace_decision` (`evidence_id`,`sequence`);--> statement-breakpoint
CREATE INDEX `workplace_decision_learner_idx` ON `workplace_decision` (`learner_id`,`signed_at`);--> statement-breakpoint
CREATE TABLE `workplace_decision_countersignature` (
	`id` text PRIMARY KEY NOT NULL,
	`decision_id` text NOT NULL,
	`countersigner_id` text NOT NULL,
	`outcome` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`decision_signature_hash` text NOT NULL,
	`signed_name` text NOT NULL,
	`signed_at` text NOT NULL,
	`signature_hash` text NOT NULL,
	`hash_encoding` text NOT NULL,
	FOREIGN KEY (`decision_id`) REFERENCES `workplace_decision`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`countersigner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workplace_decision_countersignature_decision_id_unique` ON `workplace_decision_countersignature` (`decision_id`);--> statement-breakpoint
ALTER TABLE `witness_testimony` ADD `witness_contact` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `witness_testimony` ADD `witness_signed_name` text;--> statement-breakpoint
ALTER TABLE `witness_testimony` ADD `witness_signed_on` text;--> statement-breakpoint
ALTER TABLE `witness_testimony` ADD `not_relative` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- hand-written: judge (delete triggers admit a retention disposal of the learner's records, as 0022's do)
CREATE TRIGGER `workplace_decision_no_update` BEFORE UPDATE ON `workplace_decision`
BEGIN
	SELECT RAISE(ABORT, 'a signed workplace decision cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `workplace_decision_no_delete` BEFORE DELETE ON `workplace_decision`
WHEN NOT EXISTS (SELECT 1 FROM `record_disposal_permit` p WHERE p.`learner_id` = OLD.`learner_id`)
BEGIN
	SELECT RAISE(ABORT, 'a signed workplace decision cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `workplace_decision_countersignature_no_update` BEFORE UPDATE ON `workplace_decision_countersignature`
BEGIN
	SELECT RAISE(ABORT, 'a countersignature cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `workplace_decision_countersignature_no_delete` BEFORE DELETE ON `workplace_decision_countersignature`
WHEN NOT EXISTS (
	SELECT 1 FROM `record_disposal_permit` p JOIN `workplace_decision` d ON d.`learner_id` = p.`learner_id`
	WHERE d.`id` = OLD.`decision_id`
)
BEGIN
	SELECT RAISE(ABORT, 'a countersignature cannot be deleted');
END;
