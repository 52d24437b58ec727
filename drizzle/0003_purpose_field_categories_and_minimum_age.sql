ALTER TABLE `purpose` ADD `field_categories` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `purpose` ADD `minimum_age` integer;