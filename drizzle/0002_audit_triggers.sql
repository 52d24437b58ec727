-- The audit log is append-only (DOMAIN.md §7): the database itself refuses to change or remove an entry.
CREATE TRIGGER `audit_entry_no_update` BEFORE UPDATE ON `audit_entry`
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_entry_no_delete` BEFORE DELETE ON `audit_entry`
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
