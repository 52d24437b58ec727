CREATE TABLE `job_lease` (
	`job` text PRIMARY KEY NOT NULL,
	`holder` text,
	`lease_expires_at` text,
	`last_started_at` text NOT NULL,
	`last_started_by` text NOT NULL,
	`last_finished_at` text,
	`last_outcome` text,
	`last_error` text
);
--> statement-breakpoint
CREATE TABLE `render_slot` (
	`user_id` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`holder` text NOT NULL,
	`expires_at` text NOT NULL
);
