// The record-processing core's public API. Pure TypeScript over a database handle: nothing here
// knows of SvelteKit, scenarios or scoring.
export { openDatabase, writeTransaction, DEFAULT_MIGRATIONS_FOLDER, type Db, type OpenOptions } from './database';
export * as schema from './schema';
export { ok, err, type Result, type CoreError } from './result';
export { systemClock, randomIds, seededIds, type Actor, type CoreContext, type SystemContext } from './context';
export {
	createWorkspace,
	getWorkspace,
	changeWorkspaceSettings,
	DEFAULT_WORKSPACE_SETTINGS,
	type Workspace,
	type WorkspaceInput,
	type WorkspaceChanges,
	type PolicyMode
} from './workspace';
export { applyPolicy, findings, type Finding, type PolicyViolation } from './policy';
export {
	appendAudit,
	verifyAuditChain,
	auditEntries,
	canonicalJson,
	GENESIS_HASH,
	AUDIT_ACTIONS,
	AUDIT_SUBJECT_TYPES,
	isAuditAction,
	type AuditAction,
	type AuditSubjectType,
	type AuditDetails,
	type AuditValue,
	type AuditInput,
	type AuditRecord,
	type AuditVerification
} from './audit';
export { responseDueDate, breachReportDueAt, isWorkingDay, type Region } from './deadlines';
