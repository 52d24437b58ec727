// The record-processing core's public API. Pure TypeScript over a database handle: nothing here
// knows of SvelteKit, scenarios or scoring.
export { isTransactionConflict } from './postgres';
export { openDatabase, prepareDatabase, closeDatabase, engineOf, writeTransaction, preparedStatements, DEFAULT_MIGRATIONS_FOLDER, type Db, type OpenOptions, type Statement, type StatementFactory } from './database';
// The schema's code lists the layers above offer as choices (the desk's forms); its tables stay inside the core.
export {
	ART15_ITEMS,
	AUTHORITY_TYPES,
	CONSENT_GIVERS,
	CONSENT_METHODS,
	CONTACT_CHANNELS,
	DATA_CATEGORIES,
	DATA_SOURCES,
	INTERACTION_CHANNELS,
	LPA_TYPES,
	OBJECTION_CHANNELS,
	PARTY_TYPES,
	REDACTION_DECISIONS,
	REQUEST_KINDS,
	THIRD_PARTY_ACTIONS,
	VERIFICATION_METHODS
} from './schema';
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
export { canonicalJson, canonicalHash, sha256Hex, CanonicalJsonError, CANONICAL_ENCODING } from './canonical-json';
export { responseDueDate, breachReportDueAt, isWorkingDay, type Region } from './deadlines';
export { parseInput } from './input';
export {
	defineRetentionRule,
	changeRetentionRule,
	retentionRules,
	findRetentionRule,
	retainUntilDate,
	startRetentionPeriod,
	type RetentionRule,
	type RetentionRuleInput,
	type RetentionRuleChanges,
	type RetentionTrigger
} from './retention';
export {
	definePurpose,
	changePurpose,
	retirePurpose,
	findPurpose,
	purposes,
	purposeNames,
	categoryOfField,
	FIELD_CATEGORIES,
	type Purpose,
	type PurposeInput,
	type PurposeChanges,
	type LawfulBasis,
	type FieldCategory
} from './purposes';
export {
	FIELD_CATALOGUE,
	checkFieldValue,
	isCataloguedField,
	foldText,
	compactPostcode,
	e164,
	plainDate,
	ageOn,
	type CataloguedField,
	type CheckedValue,
	type DataCategory,
	type FieldKind
} from './collection';
export { heldValues, findHeldValue, type HeldValue, type ValueKind, type FieldHistoryEntry } from './held-values';
export {
	recordCustomer,
	addCustomerFields,
	findCustomer,
	findCustomerByReference,
	requireCustomer,
	endRelationship,
	readBack,
	getCustomer,
	type Customer,
	type RecordCustomerInput,
	type AddFieldsInput,
	type RecordedCustomer,
	type CollectionError,
	type FieldIssue,
	type CustomerView,
	type ShownField
} from './customers';
export { recordCustomers, type BulkCollectionError } from './customer-bulk';
export { indexCustomerNames, indexUnindexedNames } from './name-index';
export {
	correctField,
	completeField,
	contestField,
	confirmAccuracy,
	fieldHistory,
	fieldHistoryOf,
	type CorrectFieldInput,
	type CompleteFieldInput,
	type AccuracyInput,
	type FieldChange
} from './corrections';
export {
	restrictField,
	notifyRestrictionLift,
	liftRestriction,
	RESTRICTION_GROUNDS,
	type RestrictInput,
	type NotifyRestrictionLiftInput,
	type LiftRestrictionInput,
	type RestrictionChange,
	type ServicingRefusal
} from './restriction';
export {
	applyLegalHold,
	releaseLegalHold,
	LEGAL_HOLD_REASONS,
	type ApplyLegalHoldInput,
	type ReleaseLegalHoldInput,
	type LegalHoldChange
} from './legal-hold';
export {
	eraseCustomerData,
	anonymiseCustomerData,
	generalise,
	type EraseCustomerDataInput,
	type AnonymiseCustomerDataInput,
	type DisposalOutcome,
	type HeldBack
} from './erasure';
export { runDisposal, type DisposalRun, type DisposalCounts, type RunDisposalInput } from './disposal';
export { withdrawExplicitConsent, type WithdrawExplicitConsentInput, type ExplicitConsentWithdrawal } from './explicit-consent';
export {
	giveConsent,
	withdrawConsent,
	hasValidConsent,
	recordMarketingObjection,
	mayMarket,
	type Consent,
	type MarketingObjection,
	type ContactChannel,
	type GiveConsentInput,
	type WithdrawConsentInput,
	type MarketingObjectionInput
} from './consent';
export {
	searchCustomers,
	rebuildNameIndex,
	NAME_FIELDS,
	SEARCH_CRITERIA,
	type SearchInput,
	type SearchResult,
	type SearchHit,
	type SearchCriterion
} from './search';
export {
	recordOfProcessing,
	formatRecordOfProcessing,
	SECURITY_MEASURES,
	type RecordOfProcessing
} from './processing-record';
export {
	authoriseThirdParty,
	revokeThirdPartyAuthority,
	checkAuthority,
	authorityCovers,
	getThirdParty,
	thirdPartiesOf,
	AUTHORITY_SCOPES,
	REVOCATION_REASONS,
	type AuthorisedThirdParty,
	type ThirdPartyAction,
	type AuthoriseThirdPartyInput,
	type RevokeThirdPartyInput,
	type CheckAuthorityInput,
	type AuthorityCheck,
	type AuthorityGap
} from './third-parties';
export {
	addOpgRegisterEntry,
	searchOpgRegister,
	normaliseLpaReference,
	type OpgRegisterEntry,
	type OpgRegisterEntryInput,
	type OpgRegisterSearch,
	type SearchOpgRegisterInput
} from './opg-register';
export { logInteraction, interactionsOf, getInteraction, type Interaction, type LogInteractionInput } from './interactions';
export {
	VERIFICATION_POLICY,
	ITEM_GROUPS,
	PUBLICLY_FINDABLE_ITEMS,
	THIRD_PARTY_NAME_ITEM,
	itemOf,
	verificationOutcome,
	type VerificationOutcome
} from './verification-policy';
export {
	addDirectoryEntry,
	directoryEntries,
	directoryNames,
	findDirectoryEntry,
	notAllowedFor,
	type DirectoryEntry,
	type DirectoryEntryInput,
	type DirectoryKind
} from './recipient-directory';
export { verifyIdentity, verificationAttemptsOf, type VerificationAttempt, type VerifyIdentityInput, type VerificationResult } from './verification';
export {
	disclose,
	disclosuresOf,
	disclosureLog,
	DISCLOSURE_EXEMPTIONS,
	DISCLOSURE_BASES,
	RESTRICTED_DISCLOSURE_GROUNDS,
	type Disclosure,
	type DisclosureRoute,
	type DisclosureExemption,
	type DiscloseInput,
	type DisclosureOutcome,
	type DisclosureProblem
} from './disclosure';
export {
	registerBreach,
	containBreach,
	assessBreachRisk,
	recordIcoNotification,
	recordIcoNotNotified,
	recordSubjectsTold,
	recordSubjectsNotTold,
	closeBreach,
	breachRegister,
	breachOutstanding,
	getBreach,
	SUBJECTS_NOT_TOLD_REASONS,
	type Breach,
	type BreachEntry,
	type BreachRisk,
	type SubjectsNotToldReason,
	type RegisterBreachInput,
	type ContainBreachInput,
	type AssessBreachInput,
	type NotifyIcoInput,
	type RecordIcoNotNotifiedInput,
	type RecordSubjectsToldInput,
	type RecordSubjectsNotToldInput,
	type CloseBreachInput
} from './breaches';
export {
	logRequest,
	matchRequest,
	beginRequest,
	askForId,
	receiveId,
	askForClarification,
	receiveClarification,
	requestFee,
	receiveFee,
	extendRequest,
	refuseRequest,
	withdrawRequest,
	getRequest,
	requests,
	requestTransitions,
	refusalNotice,
	REFUSAL_RIGHTS_NOTICE,
	REFUSAL_GROUNDS,
	EXTENSION_REASONS,
	FEE_GROUNDS,
	ELECTRONIC_CHANNELS,
	OPEN_REQUEST_STATES,
	type RightsRequest,
	type RequestTransition,
	type RequestKind,
	type RequestState,
	type RefusalGround,
	type LogRequestInput,
	type MatchRequestInput,
	type BeginRequestInput,
	type AskForIdInput,
	type ReceiveIdInput,
	type AskForClarificationInput,
	type ReceiveClarificationInput,
	type RequestFeeInput,
	type ReceiveFeeInput,
	type ExtendRequestInput,
	type RefuseRequestInput,
	type WithdrawRequestInput
} from './requests';
export {
	collateRequestData,
	decideRedaction,
	redactionsOf,
	assembleResponse,
	completeRequest,
	applyRedactions,
	RIGHTS_STATEMENT,
	COMPLAINT_STATEMENT,
	REDACTABLE_SOURCES,
	type CollatedData,
	type Redaction,
	type CollateInput,
	type DecideRedactionInput,
	type AssembleResponseInput,
	type CompleteRequestInput
} from './request-response';
export {
	fulfilRectification,
	fulfilRestriction,
	fulfilErasure,
	fulfilObjection,
	ERASURE_GROUNDS,
	RETENTION_DUTIES,
	type ErasureGround,
	type FulfilmentOutcome,
	type FulfilRectificationInput,
	type FulfilRestrictionInput,
	type FulfilErasureInput,
	type FulfilObjectionInput
} from './request-fulfilment';
export { notifyRecipients, recipientsFor, notificationsOf, type Recipient, type RecipientNotification, type NotifyRecipientsInput } from './recipients';
