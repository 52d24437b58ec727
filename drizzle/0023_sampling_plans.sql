CREATE TABLE `sampling_plan` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`cohort_id` text NOT NULL,
	`qualification_title` text NOT NULL,
	`rates` text NOT NULL,
	`methods` text NOT NULL,
	`criteria` text NOT NULL,
	`interim_required` integer DEFAULT true NOT NULL,
	`summative_required` integer DEFAULT true NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohort`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sampling_plan_org_idx` ON `sampling_plan` (`organisation_id`,`cohort_id`);--> statement-breakpoint
CREATE TABLE `standardisation_meeting` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`held_on` text NOT NULL,
	`attendees` text NOT NULL,
	`work_discussed` text NOT NULL,
	`actions` text DEFAULT '' NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisation`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`plan_id`) REFERENCES `sampling_plan`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `standardisation_meeting_plan_idx` ON `standardisation_meeting` (`plan_id`,`held_on`);