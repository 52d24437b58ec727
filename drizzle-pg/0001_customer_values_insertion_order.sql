-- hand-written: pg. The order a customer's values were recorded in, as SQLite's rowid gives it
-- (core/database.ts insertionOrder): a record lists its values in it (core/held-values.ts), and a
-- disposal run disposes of them in it (core/disposal.ts). Without it PostgreSQL gave them in heap
-- order, which an update changes: a view and its audit entry named the fields in another order, and
-- a run's audit entries (so its chain) came out in another order than the same run on SQLite.
ALTER TABLE "customer_field" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "special_category_value" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
--> statement-breakpoint
ALTER TABLE "criminal_offence_value" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY
