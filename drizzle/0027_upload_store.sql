CREATE TABLE `upload_piece` (
	`upload_id` text NOT NULL,
	`start_byte` integer NOT NULL,
	`byte_length` integer NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`upload_id`, `start_byte`),
	FOREIGN KEY (`upload_id`) REFERENCES `upload`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `upload` ADD `storage` text DEFAULT 'directory' NOT NULL;--> statement-breakpoint
ALTER TABLE `upload` ADD `append_lease` text;--> statement-breakpoint
ALTER TABLE `upload` ADD `append_lease_until` text;