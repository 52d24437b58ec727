CREATE TABLE `opg_register_entry` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`reference` text NOT NULL,
	`donor_name` text NOT NULL,
	`attorney_names` text NOT NULL,
	`lpa_type` text NOT NULL,
	`registered_on` text,
	`status` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `opg_register_entry_reference_idx` ON `opg_register_entry` (`workspace_id`,`reference`);--> statement-breakpoint
ALTER TABLE `authorised_third_party` ADD `lpa_type` text;