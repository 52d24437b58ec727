CREATE TABLE `attempt_desk` (
	`attempt_id` text PRIMARY KEY NOT NULL,
	`through_seq` integer NOT NULL,
	`state` text NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempt`(`id`) ON UPDATE no action ON DELETE no action
);
