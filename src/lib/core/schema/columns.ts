/**
 * Column groups that many tables of the core start with. Each call makes fresh column builders
 * (drizzle needs one per table); spread the result into a table's columns. The customer a row is
 * about (aboutCustomer) lives with the customer table, so this module imports no table but workspace.
 */
import { text } from 'drizzle-orm/sqlite-core';
import { workspace } from './workspace';

/** A row of one workspace's data: its own id and the workspace it belongs to. */
export function workspaceRow() {
	return {
		id: text('id').primaryKey(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id)
	};
}
