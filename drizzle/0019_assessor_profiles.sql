CREATE TABLE `assessor_profile` (
	`assessor_id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'qualified' NOT NULL,
	`status_since` text,
	`competence_notes` text DEFAULT '' NOT NULL,
	`risk` text DEFAULT 'new' NOT NULL,
	`risk_reason` text DEFAULT '' NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`assessor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `assessor_profile_change` (
	`id` text PRIMARY KEY NOT NULL,
	`assessor_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text DEFAULT '' NOT NULL,
	`on_date` text,
	`text` text NOT NULL,
	`changed_by` text NOT NULL,
	`changed_at` text NOT NULL,
	FOREIGN KEY (`assessor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`changed_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assessor_profile_change_assessor_idx` ON `assessor_profile_change` (`assessor_id`,`changed_at`);--> statement-breakpoint
CREATE TABLE `decision_countersignature` (
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
	FOREIGN KEY (`decision_id`) REFERENCES `assessment_decision`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`countersigner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `decision_countersignature_decision_id_unique` ON `decision_countersignature` (`decision_id`);--> statement-breakpoint
ALTER TABLE `assessment_decision` ADD `requires_countersignature` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE TRIGGER `decision_countersignature_no_update` BEFORE UPDATE ON `decision_countersignature`
BEGIN
	SELECT RAISE(ABORT, 'a countersignature cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `decision_countersignature_no_delete` BEFORE DELETE ON `decision_countersignature`
BEGIN
	SELECT RAISE(ABORT, 'a countersignature cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `assessor_profile_change_no_update` BEFORE UPDATE ON `assessor_profile_change`
BEGIN
	SELECT RAISE(ABORT, 'an assessor profile''s history cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `assessor_profile_change_no_delete` BEFORE DELETE ON `assessor_profile_change`
BEGIN
	SELECT RAISE(ABORT, 'an assessor profile''s history cannot be deleted');
END;
