CREATE TABLE `iqa_sample` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`plan_id` text,
	`decision_kind` text NOT NULL,
	`decision_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`assessor_id` text NOT NULL,
	`stage` text NOT NULL,
	`pick` text NOT NULL,
	`reason` text NOT NULL,
	`picked_by` text,
	`picked_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`picked_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iqa_sample_decision_stage_unique` ON `iqa_sample` (`decision_kind`,`decision_id`,`stage`);--> statement-breakpoint
CREATE INDEX `iqa_sample_plan_idx` ON `iqa_sample` (`plan_id`);--> statement-breakpoint
CREATE INDEX `iqa_sample_org_idx` ON `iqa_sample` (`organisation_id`,`picked_at`);--> statement-breakpoint
CREATE TABLE `learner_standing` (
	`learner_id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`status` text DEFAULT 'in-training' NOT NULL,
	`status_on` text NOT NULL,
	`certified_on` text,
	`note` text DEFAULT '' NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `learner_standing_org_idx` ON `learner_standing` (`organisation_id`,`status`);--> statement-breakpoint
CREATE TABLE `upload` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`original_name` text NOT NULL,
	`file_name` text NOT NULL,
	`media_type` text,
	`byte_length` integer NOT NULL,
	`received_bytes` integer DEFAULT 0 NOT NULL,
	`sha256` text,
	`storage_key` text NOT NULL,
	`state` text DEFAULT 'receiving' NOT NULL,
	`refusal` text DEFAULT '' NOT NULL,
	`metadata_removed` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `upload_owner_idx` ON `upload` (`owner_id`,`state`);--> statement-breakpoint
CREATE INDEX `upload_sha_idx` ON `upload` (`sha256`);--> statement-breakpoint
CREATE TABLE `workplace_evidence` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`title` text NOT NULL,
	`situation` text DEFAULT '' NOT NULL,
	`task` text DEFAULT '' NOT NULL,
	`action` text DEFAULT '' NOT NULL,
	`result` text DEFAULT '' NOT NULL,
	`criteria` text NOT NULL,
	`declaration` text DEFAULT '' NOT NULL,
	`declared_at` text,
	`state` text DEFAULT 'draft' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`submitted_at` text,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`learner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `workplace_evidence_learner_idx` ON `workplace_evidence` (`learner_id`,`state`);--> statement-breakpoint
CREATE TABLE `workplace_evidence_file` (
	`evidence_id` text NOT NULL,
	`upload_id` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`evidence_id`, `upload_id`),
	FOREIGN KEY (`evidence_id`) REFERENCES `workplace_evidence`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`upload_id`) REFERENCES `upload`(`id`) ON UPDATE no action ON DELETE no action
);
