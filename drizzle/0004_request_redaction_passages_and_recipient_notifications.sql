CREATE TABLE `recipient_notification` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`request_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`disclosure_ids` text NOT NULL,
	`recipient_type` text NOT NULL,
	`recipient_name` text NOT NULL,
	`recipient_organisation` text DEFAULT '' NOT NULL,
	`outcome` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`channel` text,
	`at` text NOT NULL,
	`by` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspace`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `rights_request`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recipient_notification_request_idx` ON `recipient_notification` (`workspace_id`,`request_id`);--> statement-breakpoint
ALTER TABLE `redaction` ADD `passage_start` integer;--> statement-breakpoint
ALTER TABLE `redaction` ADD `passage_end` integer;