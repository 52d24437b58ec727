ALTER TABLE `criminal_offence_value` ADD `legal_hold_code` text;--> statement-breakpoint
ALTER TABLE `criminal_offence_value` ADD `legal_hold_purpose_code` text;--> statement-breakpoint
ALTER TABLE `criminal_offence_value` ADD `legal_hold_until` text;--> statement-breakpoint
ALTER TABLE `criminal_offence_value` ADD `kept_for_hold_only` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_field` ADD `legal_hold_code` text;--> statement-breakpoint
ALTER TABLE `customer_field` ADD `legal_hold_purpose_code` text;--> statement-breakpoint
ALTER TABLE `customer_field` ADD `legal_hold_until` text;--> statement-breakpoint
ALTER TABLE `customer_field` ADD `kept_for_hold_only` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `special_category_value` ADD `legal_hold_code` text;--> statement-breakpoint
ALTER TABLE `special_category_value` ADD `legal_hold_purpose_code` text;--> statement-breakpoint
ALTER TABLE `special_category_value` ADD `legal_hold_until` text;--> statement-breakpoint
ALTER TABLE `special_category_value` ADD `kept_for_hold_only` integer DEFAULT false NOT NULL;