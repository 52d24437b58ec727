/**
 * The record system's forms, as data: what each form asks, and how its answers become the input of
 * a core operation. The page renders them (components/sim/OperationForm.svelte); the server reads a
 * posted form with the same description (readForm), so what is shown and what is read cannot drift
 * apart. Which form draws an operation, and in which panel, the registry says (registry.ts).
 *
 * Only the shape of the input lives here. Whether an input is acceptable is the core's decision:
 * its typed errors come back and are shown next to the field they name. The checks made here are
 * about reading a form (a number that is not a number, a choice not made, text too long to be
 * meant), so that nothing half-read is sent to the runtime.
 */
import { ukInstant } from '../../dates';
import * as posted from '../../form-data';

export interface Option {
	value: string;
	label: string;
}

interface Common {
	/** The input's name: a dotted path into the operation's input ("recipient.type"). */
	name: string;
	label: string;
	hint?: string;
	/** Takes a whole row. */
	wide?: boolean;
}

/**
 * What a blank answer means: `pass` sends "" (the core says what is missing), `omit` leaves the
 * key out (the core's default applies), `require` refuses the form before anything is sent.
 */
type Blank = 'pass' | 'omit' | 'require';

export type FieldSpec =
	| (Common & { kind: 'text' | 'textarea' | 'email' | 'tel' | 'date'; blank?: Blank; autocomplete?: string; defaultValue?: string })
	| (Common & { kind: 'datetime'; blank?: Blank; defaultValue?: string })
	| (Common & { kind: 'number'; blank?: Blank; defaultValue?: string })
	| (Common & { kind: 'select' | 'radios'; options: Option[]; blank?: Blank; missing?: string; defaultValue?: string; placeholder?: string })
	| (Common & { kind: 'checkboxes'; options: Option[]; blank?: 'pass' | 'omit'; defaultValue?: string[] })
	| (Common & { kind: 'checkbox' })
	| (Common & { kind: 'yesno'; missing?: string })
	| (Common & { kind: 'lines'; blank?: 'pass' | 'omit' })
	| { kind: 'hidden'; name: string; value: string }
	/** A set of named text inputs read into one object ({ givenName: "…", postcode: "…" }); blanks left out. */
	| (Common & { kind: 'keyed'; keys: KeyedInput[]; columns?: boolean });

export interface KeyedInput {
	key: string;
	label: string;
	type?: 'text' | 'email' | 'tel';
	/** Inputs with a group are drawn together under it (a data category). */
	group?: string;
}

export interface GroupSpec {
	kind: 'group';
	legend: string;
	hint?: string;
	fields: FieldSpec[];
}

export type Item = FieldSpec | GroupSpec;

export interface FormSpec {
	/** Stable key; an instance of a form on the page adds ":" and an id (e.g. "view:<customerId>"). */
	key: string;
	/** The buttons, each submitting one operation; the first is the default (Enter). */
	submit: { operation: string; label: string; secondary?: boolean }[];
	items: Item[];
}

/** What every panel of the record system draws its forms with. */
export interface FormContext {
	options: DeskOptions;
	/** The seq the attempt's next action must carry. */
	seq: number;
	panel: string;
	result: DeskResult | null | undefined;
	/** The attempt has ended: nothing more can be done. */
	closed: boolean;
}

/** What the screen knows when it draws the forms. The server reads forms without it. */
export interface DeskOptions {
	clockInput: string;
	purposes: Option[];
	customers: Option[];
	openCustomerId: string;
	recordFields: Option[];
	thirdParties: Option[];
	verifications: Option[];
	requests: Option[];
	/** The organisation's directory of recipients: empty in scenarios written before it. */
	directory: DirectoryOption[];
	catalogue: { key: string; label: string; category: string }[];
	enums: Record<EnumName, Option[]>;
}

/** A team or outside body of the directory, with what it may receive per purpose (purpose and field labels). */
export interface DirectoryOption extends Option {
	kind: 'team' | 'outside-body';
	receives: { purpose: string; fields: string[] }[];
}

export type EnumName =
	| 'partyTypes'
	| 'interactionChannels'
	| 'contactChannels'
	| 'objectionChannels'
	| 'verificationMethods'
	| 'thirdPartyActions'
	| 'authorityTypes'
	| 'lpaTypes'
	| 'dataCategories'
	| 'consentMethods'
	| 'consentGivers'
	| 'requestKinds'
	| 'refusalGrounds'
	| 'extensionReasons'
	| 'feeGrounds'
	| 'redactionSources'
	| 'redactionDecisions'
	| 'art15Items'
	| 'restrictionGrounds'
	| 'legalHoldReasons'
	| 'erasureGrounds'
	| 'disclosureBases'
	| 'restrictedDisclosureGrounds'
	| 'notToldReasons'
	| 'breachRisks'
	| 'dataSources';

/** Every option empty, as the server reads a posted form: the shape the screen fills in. */
export const NO_OPTIONS: DeskOptions = {
	clockInput: '',
	purposes: [],
	customers: [],
	openCustomerId: '',
	recordFields: [],
	thirdParties: [],
	verifications: [],
	requests: [],
	directory: [],
	catalogue: [],
	enums: new Proxy({} as Record<EnumName, Option[]>, { get: () => [] })
};

/** Identity items a caller may give, with how they are typed. */
const IDENTITY_ITEMS: KeyedInput[] = [
	{ key: 'givenName', label: 'First name' },
	{ key: 'familyName', label: 'Last name' },
	{ key: 'dateOfBirth', label: 'Date of birth' },
	{ key: 'addressLine1', label: 'Address line 1' },
	{ key: 'postcode', label: 'Postcode' },
	{ key: 'email', label: 'Email', type: 'email' },
	{ key: 'phone', label: 'Phone', type: 'tel' },
	{ key: 'mobilePhone', label: 'Mobile phone', type: 'tel' }
];

const customerSelect = (o: DeskOptions, blank: Blank = 'require'): FieldSpec => ({
	kind: 'select',
	name: 'customerId',
	label: 'Customer record',
	options: o.customers,
	blank,
	placeholder: blank === 'omit' ? 'Not matched to a record' : 'Choose a record',
	missing: 'Choose the customer record: find it with Search first',
	defaultValue: o.openCustomerId
});

const reason = (label = 'Reason'): FieldSpec => ({ kind: 'text', name: 'reason', label, wide: true });
const requestHidden = (id: string): FieldSpec => ({ kind: 'hidden', name: 'requestId', value: id });
const breachHidden = (id: string): FieldSpec => ({ kind: 'hidden', name: 'breachId', value: id });
const channel = (o: DeskOptions, blank: Blank = 'require', name = 'channel', label = 'Channel'): FieldSpec => ({
	kind: 'select',
	name,
	label,
	options: o.enums.interactionChannels,
	blank,
	placeholder: blank === 'omit' ? 'As the request came in' : 'Choose a channel',
	defaultValue: blank === 'require' ? 'phone' : ''
});
const optionalSelect = (name: string, label: string, options: Option[], placeholder: string, hint?: string, wide?: boolean): FieldSpec => ({
	kind: 'select',
	name,
	label,
	options,
	blank: 'omit',
	placeholder,
	hint,
	wide
});

/** Every form of the record system, drawn with what the screen knows (or read with nothing). */
export function deskForms(o: DeskOptions = NO_OPTIONS, id = '') {
	const forms = {
		// ── Search and the customer record ─────────────────────────────────────────────────────
		search: {
			key: 'search',
			submit: [{ operation: 'searchCustomers', label: 'Search' }],
			items: [
				{
					kind: 'group',
					legend: 'Search by',
					hint: 'Give one or more. Partial names, postcodes without the space and dates like 18/04/1979 are fine.',
					fields: [
						{ kind: 'text', name: 'name', label: 'Name', blank: 'omit', autocomplete: 'off' },
						{ kind: 'text', name: 'postcode', label: 'Postcode', blank: 'omit', autocomplete: 'off' },
						{ kind: 'text', name: 'dateOfBirth', label: 'Date of birth', blank: 'omit', autocomplete: 'off' },
						{ kind: 'text', name: 'reference', label: 'Account reference', blank: 'omit', autocomplete: 'off' },
						{ kind: 'email', name: 'email', label: 'Email', blank: 'omit', autocomplete: 'off' },
						{ kind: 'tel', name: 'phone', label: 'Phone', blank: 'omit', autocomplete: 'off' }
					]
				},
				optionalSelect('purposeCode', 'Why are you searching?', o.purposes, 'Not stated', 'The purpose is recorded with the search.', true)
			]
		},
		view: {
			key: 'view',
			submit: [{ operation: 'viewCustomer', label: 'View record' }],
			items: [
				{ kind: 'hidden', name: 'customerId', value: id },
				{ kind: 'select', name: 'purposeCode', label: 'Purpose for opening it', options: o.purposes, blank: 'pass', placeholder: 'Choose a purpose' }
			]
		},
		correct: {
			key: 'correct',
			submit: [{ operation: 'correctField', label: 'Correct the detail' }],
			items: [
				{ kind: 'hidden', name: 'customerId', value: o.openCustomerId },
				{ kind: 'select', name: 'field', label: 'Detail', options: o.recordFields, placeholder: 'Choose a detail', missing: 'Choose the detail to correct' },
				{ kind: 'text', name: 'newValue', label: 'Correct value', autocomplete: 'off' },
				reason('Reason for the correction')
			]
		},
		accuracy: {
			key: 'accuracy',
			submit: [
				{ operation: 'contestField', label: 'Flag as disputed' },
				{ operation: 'confirmAccuracy', label: 'Confirm it is accurate', secondary: true }
			],
			items: [
				{ kind: 'hidden', name: 'customerId', value: o.openCustomerId },
				{ kind: 'select', name: 'field', label: 'Detail', options: o.recordFields, placeholder: 'Choose a detail', missing: 'Choose the detail' },
				reason('What the customer says, or how you checked it')
			]
		},
		statement: {
			key: 'statement',
			submit: [{ operation: 'completeField', label: 'Add the statement' }],
			items: [
				{ kind: 'hidden', name: 'customerId', value: o.openCustomerId },
				{ kind: 'select', name: 'field', label: 'Detail', options: o.recordFields, placeholder: 'Choose a detail', missing: 'Choose the detail' },
				{ kind: 'textarea', name: 'statement', label: 'Supplementary statement', hint: 'In the customer’s words.' }
			]
		},
		restrict: {
			key: 'restrict',
			submit: [{ operation: 'restrictField', label: 'Restrict processing' }],
			items: [
				{ kind: 'hidden', name: 'customerId', value: o.openCustomerId },
				{ kind: 'checkboxes', name: 'fields', label: 'Details to restrict', options: o.recordFields },
				{ kind: 'select', name: 'ground', label: 'Ground', options: o.enums.restrictionGrounds, placeholder: 'Choose a ground', missing: 'Choose the ground for the restriction' },
				reason()
			]
		},
		liftRestriction: {
			key: 'liftRestriction',
			submit: [
				{ operation: 'notifyRestrictionLift', label: 'Record the person told' },
				{ operation: 'liftRestriction', label: 'Lift the restriction', secondary: true }
			],
			items: [
				{ kind: 'hidden', name: 'customerId', value: o.openCustomerId },
				{ kind: 'checkboxes', name: 'fields', label: 'Restricted details', options: o.recordFields },
				{ kind: 'text', name: 'channel', label: 'How you told the person', hint: 'Before a restriction is lifted, the person is told (Art 18(3)).', blank: 'omit', autocomplete: 'off' },
				{ kind: 'text', name: 'reason', label: 'Why it is lifted', blank: 'omit', wide: true }
			]
		},
		legalHold: {
			key: 'legalHold',
			submit: [
				{ operation: 'applyLegalHold', label: 'Apply the hold' },
				{ operation: 'releaseLegalHold', label: 'Release the hold', secondary: true }
			],
			items: [
				customerSelect(o),
				{ kind: 'checkboxes', name: 'fields', label: 'Details', hint: 'Leave all unticked for every detail held.', options: o.recordFields, blank: 'omit' },
				optionalSelect('reasonCode', 'Why', o.enums.legalHoldReasons, 'Choose a reason'),
				optionalSelect('purposeCode', 'The purpose it keeps them for', o.purposes, 'Not stated'),
				{ kind: 'date', name: 'until', label: 'Until', hint: 'Leave blank to keep each detail to its retain-until date.', blank: 'omit' },
				reason('The law, claim or investigation, in words')
			]
		},
		disposal: {
			key: 'disposal',
			submit: [{ operation: 'runDisposal', label: 'Run disposal' }],
			items: [{ kind: 'date', name: 'asOf', label: 'As of', hint: 'Everything kept until an earlier day is erased or anonymised, unless held or restricted.', defaultValue: o.clockInput.slice(0, 10) }]
		},
		readBack: {
			key: 'readBack',
			submit: [{ operation: 'readBack', label: 'Record the read-back' }],
			items: [
				{ kind: 'hidden', name: 'customerId', value: o.openCustomerId },
				{ kind: 'checkboxes', name: 'fields', label: 'Details read back to the customer', options: o.recordFields },
				optionalSelect('verificationId', 'Their identity check', o.verifications, 'None')
			]
		},
		newCustomer: {
			key: 'newCustomer',
			submit: [{ operation: 'recordCustomer', label: 'Record the customer' }],
			items: [
				{ kind: 'checkboxes', name: 'purposeCodes', label: 'Purposes stated to the customer', hint: 'What you told them their details are for.', options: o.purposes },
				{ kind: 'keyed', name: 'fields', label: 'Details', hint: 'Fill in only what the purposes need.', keys: o.catalogue.map((c) => ({ key: c.key, label: c.label, group: c.category })), columns: true },
				{ kind: 'select', name: 'source', label: 'Where the details came from', options: o.enums.dataSources, blank: 'omit', defaultValue: 'data-subject' },
				{ kind: 'text', name: 'reference', label: 'Account reference', hint: 'Leave blank to have one assigned.', blank: 'omit', autocomplete: 'off' }
			]
		},

		// ── Identity and authority ───────────────────────────────────────────────────────────────
		checkAuthority: {
			key: 'checkAuthority',
			submit: [{ operation: 'checkAuthority', label: 'Check the authority' }],
			items: [
				customerSelect(o),
				{
					kind: 'select',
					name: 'thirdPartyId',
					label: 'Who the person says they are',
					hint: 'The people recorded on the account as able to act for the customer.',
					options: [...o.thirdParties, { value: 'not-on-file', label: 'Someone not listed on the account' }],
					placeholder: 'Choose a person',
					missing: 'Choose who the person says they are'
				},
				{ kind: 'checkboxes', name: 'categories', label: 'What they are asking about', options: o.enums.dataCategories },
				{ kind: 'select', name: 'action', label: 'What they want to do', options: o.enums.thirdPartyActions, placeholder: 'Choose one', missing: 'Choose what the person wants to do' }
			]
		},
		opgRegister: {
			key: 'opgRegister',
			submit: [{ operation: 'checkOpgRegister', label: 'Search the register' }],
			items: [
				{
					kind: 'group',
					legend: 'Search the OPG register by',
					hint: 'The LPA’s reference (as the caller reads it from the document), or the donor’s full name. Spaces and hyphens in the reference do not matter.',
					fields: [
						{ kind: 'text', name: 'reference', label: 'LPA reference', blank: 'omit', autocomplete: 'off' },
						{ kind: 'text', name: 'donorName', label: 'Donor’s full name', blank: 'omit', autocomplete: 'off' },
						{ kind: 'text', name: 'attorneyName', label: 'Caller’s name, to check they are an attorney', blank: 'omit', autocomplete: 'off' }
					]
				},
				customerSelect(o, 'omit')
			]
		},
		authorise: {
			key: 'authorise',
			submit: [{ operation: 'authoriseThirdParty', label: 'Record the authority' }],
			items: [
				customerSelect(o),
				{ kind: 'text', name: 'name', label: 'Their full name', autocomplete: 'off' },
				{ kind: 'text', name: 'relationship', label: 'Relationship to the customer', hint: 'For example “son” or “solicitor”.', autocomplete: 'off' },
				{ kind: 'select', name: 'authorityType', label: 'Kind of authority', options: o.enums.authorityTypes, placeholder: 'Choose one', missing: 'Choose the kind of authority' },
				optionalSelect('lpaType', 'Type of LPA', o.enums.lpaTypes, 'Not an LPA', 'A lasting power of attorney is for property and financial affairs, or for health and welfare: each covers only its own kind of decision.'),
				{ kind: 'text', name: 'evidenceRef', label: 'Evidence seen', hint: 'For an LPA, its OPG reference.', wide: true, autocomplete: 'off' },
				{ kind: 'checkboxes', name: 'scopeCategories', label: 'What it covers', options: [...o.enums.dataCategories, { value: 'all', label: 'Everything' }] },
				{ kind: 'checkboxes', name: 'scopeActions', label: 'What they may do', options: o.enums.thirdPartyActions },
				{ kind: 'date', name: 'validFrom', label: 'Valid from', defaultValue: o.clockInput.slice(0, 10) },
				{ kind: 'date', name: 'validTo', label: 'Valid until', hint: 'Leave blank if it runs until revoked.', blank: 'omit' }
			]
		},
		verify: {
			key: 'verify',
			submit: [{ operation: 'verifyIdentity', label: 'Check identity' }],
			items: [
				customerSelect(o),
				{ kind: 'select', name: 'requesterType', label: 'Who the person says they are', options: o.enums.partyTypes, placeholder: 'Choose one', missing: 'Choose who the person says they are' },
				optionalSelect('thirdPartyId', 'Authorised person on file', o.thirdParties, 'Not an authorised person'),
				{ kind: 'select', name: 'method', label: 'Method', options: o.enums.verificationMethods, placeholder: 'Choose a method', missing: 'Choose how you are checking identity' },
				{
					kind: 'keyed',
					name: 'supplied',
					label: 'What the person told you',
					hint: 'Type exactly what they said. Leave blank anything they did not give.',
					keys: [...IDENTITY_ITEMS, { key: 'thirdPartyName', label: 'Their own name (authorised person)' }],
					columns: true
				},
				{ kind: 'checkboxes', name: 'readOut', label: 'Details you read out to them', hint: 'Anything you said first, for them to confirm, counts as read out.', options: o.recordFields, blank: 'omit' },
				{ kind: 'text', name: 'requesterName', label: 'Name they gave', blank: 'omit', autocomplete: 'off' },
				channel(o),
				{ kind: 'text', name: 'credentialsConfirmedVia', label: 'Credentials confirmed through', hint: 'Officials only: the independent route, such as the force switchboard.', blank: 'omit', wide: true }
			]
		},

		// ── Disclosure and contact ───────────────────────────────────────────────────────────────
		disclose: {
			key: 'disclose',
			submit: [{ operation: 'disclose', label: 'Disclose and log it' }],
			items: [
				customerSelect(o),
				{ kind: 'checkboxes', name: 'fields', label: 'What you are disclosing', options: o.recordFields },
				{
					kind: 'group',
					legend: 'To whom',
					fields: [
						{ kind: 'select', name: 'recipient.type', label: 'Recipient', options: o.enums.partyTypes, placeholder: 'Choose one', missing: 'Choose who the recipient is' },
						{ kind: 'text', name: 'recipient.name', label: 'Name', blank: 'omit', autocomplete: 'off' },
						{ kind: 'text', name: 'recipient.organisation', label: 'Organisation', blank: 'omit', autocomplete: 'off' },
						// With a directory the learner picks the team or body from it, never types a role; without one (scenarios
						// written before it) the role is typed. The other input is drawn hidden and empty, so that reading
						// the form, which knows no directory, takes whichever was posted.
						...(o.directory.length > 0
							? [
									optionalSelect('recipient.directoryCode', 'Team or organisation', o.directory, 'Someone not in the directory', 'From the organisation’s directory. A colleague is not entitled by being a colleague.'),
									{ kind: 'hidden', name: 'recipient.role', value: '' } satisfies FieldSpec
								]
							: [
									{ kind: 'text', name: 'recipient.role', label: 'Role', hint: 'For a colleague.', blank: 'omit', autocomplete: 'off' } satisfies FieldSpec,
									{ kind: 'hidden', name: 'recipient.directoryCode', value: '' } satisfies FieldSpec
								]),
						optionalSelect('recipient.thirdPartyId', 'Authorised person on file', o.thirdParties, 'Not an authorised person'),
						optionalSelect('verificationId', 'Their identity check', o.verifications, 'None')
					]
				},
				channel(o, 'require', 'channel', 'How'),
				{
					kind: 'group',
					legend: 'On what basis',
					fields: [
						optionalSelect('basisOrExemption', 'Exemption or legal duty', o.enums.disclosureBases, 'None: the customer or their authorised person', undefined, true),
						{ kind: 'textarea', name: 'prejudiceTest', label: 'Prejudice test', hint: 'For an exemption: why not disclosing would prejudice the purpose.', blank: 'omit' },
						{ kind: 'text', name: 'authorityEvidence', label: 'Written request or authority relied on', blank: 'omit', wide: true },
						optionalSelect('purposeCode', 'Purpose (for a colleague)', o.purposes, 'Not stated'),
						optionalSelect('restrictionGround', 'Ground for disclosing restricted data', o.enums.restrictedDisclosureGrounds, 'None'),
						optionalSelect('requestId', 'Linked request', o.requests, 'None'),
						{ kind: 'checkboxes', name: 'fieldsRequested', label: 'What they asked for', hint: 'Leave all unticked if they did not ask for anything specific.', options: o.recordFields, blank: 'omit' }
					]
				}
			]
		},
		interaction: {
			key: 'interaction',
			submit: [{ operation: 'logInteraction', label: 'Log the contact' }],
			items: [
				customerSelect(o, 'omit'),
				channel(o),
				{ kind: 'radios', name: 'direction', label: 'Direction', options: [{ value: 'inbound', label: 'Inbound' }, { value: 'outbound', label: 'Outbound' }], defaultValue: 'inbound', missing: 'Choose the direction' },
				{ kind: 'select', name: 'partyType', label: 'Who you dealt with', options: o.enums.partyTypes, placeholder: 'Choose one', missing: 'Choose who you dealt with' },
				optionalSelect('thirdPartyId', 'Authorised person on file', o.thirdParties, 'Not an authorised person'),
				{ kind: 'text', name: 'nature', label: 'What it was about', hint: 'For example “balance enquiry”.', wide: true },
				{ kind: 'textarea', name: 'notes', label: 'Notes', hint: 'Who called, what they asked for, what you said and did.' },
				{ kind: 'lines', name: 'actionsTaken', label: 'Actions taken', hint: 'One a line.' }
			]
		},

		// ── Rights requests ──────────────────────────────────────────────────────────────────────
		logRequest: {
			key: 'logRequest',
			submit: [{ operation: 'logRequest', label: 'Log the request' }],
			items: [
				{ kind: 'select', name: 'kind', label: 'Right', options: o.enums.requestKinds, placeholder: 'Choose a right', missing: 'Choose which right the request is about' },
				channel(o),
				{ kind: 'yesno', name: 'verbal', label: 'Was it made verbally?', missing: 'Say whether the request was made verbally' },
				{ kind: 'textarea', name: 'description', label: 'What they asked for', hint: 'In their words where you can.' },
				customerSelect(o, 'omit'),
				{ kind: 'select', name: 'requesterType', label: 'Who made it', options: o.enums.partyTypes, blank: 'omit', defaultValue: 'data-subject' },
				optionalSelect('verificationId', 'Their identity check', o.verifications, 'None'),
				{ kind: 'datetime', name: 'receivedAt', label: 'Received', hint: 'Leave as now unless it arrived earlier.', blank: 'omit', defaultValue: o.clockInput }
			]
		},
		'req-match': { key: 'req-match', submit: [{ operation: 'matchRequest', label: 'Match to this record' }], items: [requestHidden(id), customerSelect(o)] },
		'req-begin': { key: 'req-begin', submit: [{ operation: 'beginRequest', label: 'Start work' }], items: [requestHidden(id)] },
		'req-askId': { key: 'req-askId', submit: [{ operation: 'askForId', label: 'Ask for ID' }], items: [requestHidden(id), reason('Why, and what you asked for')] },
		'req-receiveId': {
			key: 'req-receiveId',
			submit: [{ operation: 'receiveId', label: 'Record ID received' }],
			items: [requestHidden(id), optionalSelect('verificationId', 'Identity check made with it', o.verifications, 'None')]
		},
		'req-askClarification': {
			key: 'req-askClarification',
			submit: [{ operation: 'askForClarification', label: 'Ask for clarification' }],
			items: [requestHidden(id), { kind: 'text', name: 'question', label: 'What you asked', wide: true }]
		},
		'req-receiveClarification': { key: 'req-receiveClarification', submit: [{ operation: 'receiveClarification', label: 'Record clarification received' }], items: [requestHidden(id)] },
		'req-extend': {
			key: 'req-extend',
			submit: [{ operation: 'extendRequest', label: 'Extend the deadline' }],
			items: [
				requestHidden(id),
				{ kind: 'select', name: 'reason', label: 'Reason', options: o.enums.extensionReasons, placeholder: 'Choose a reason', missing: 'Choose the reason for the extension' },
				{ kind: 'textarea', name: 'explanation', label: 'What you told the person' }
			]
		},
		'req-collate': { key: 'req-collate', submit: [{ operation: 'collateRequestData', label: 'Gather everything held' }], items: [requestHidden(id)] },
		'req-redaction': {
			key: 'req-redaction',
			submit: [{ operation: 'decideRedaction', label: 'Record the decision' }],
			items: [
				requestHidden(id),
				{ kind: 'select', name: 'sourceTable', label: 'Where the information is', options: o.enums.redactionSources, placeholder: 'Choose one', missing: 'Choose where the information is' },
				{ kind: 'text', name: 'sourceId', label: 'Item id', autocomplete: 'off' },
				{ kind: 'text', name: 'sourceField', label: 'Part of the item', hint: 'For example notes.', autocomplete: 'off' },
				{ kind: 'text', name: 'passage', label: 'Passage', blank: 'omit', wide: true },
				{ kind: 'text', name: 'thirdPartyDescription', label: 'The other person, described without naming them', wide: true },
				{ kind: 'select', name: 'decision', label: 'Decision', options: o.enums.redactionDecisions, placeholder: 'Choose one', missing: 'Choose the decision' },
				reason()
			]
		},
		'req-assemble': {
			key: 'req-assemble',
			submit: [{ operation: 'assembleResponse', label: 'Assemble the response' }],
			items: [requestHidden(id), { kind: 'checkboxes', name: 'items', label: 'Items to include', hint: 'Leave all unticked for every Art 15 item.', options: o.enums.art15Items, blank: 'omit' }]
		},
		'req-complete': {
			key: 'req-complete',
			submit: [{ operation: 'completeRequest', label: 'Send and close' }],
			items: [requestHidden(id), channel(o, 'omit'), { kind: 'checkbox', name: 'requesterAskedOtherwise', label: 'The person asked for it another way' }]
		},
		'req-rectify': {
			key: 'req-rectify',
			submit: [{ operation: 'fulfilRectification', label: 'Carry out the rectification' }],
			items: [
				requestHidden(id),
				{ kind: 'select', name: 'corrections.0.field', label: 'Detail', options: o.recordFields, placeholder: 'Choose a detail', missing: 'Choose the detail to correct' },
				{ kind: 'text', name: 'corrections.0.newValue', label: 'Correct value', autocomplete: 'off' },
				{ kind: 'text', name: 'corrections.0.reason', label: 'Reason', wide: true }
			]
		},
		'req-restrict': {
			key: 'req-restrict',
			submit: [{ operation: 'fulfilRestriction', label: 'Carry out the restriction' }],
			items: [
				requestHidden(id),
				{ kind: 'checkboxes', name: 'fields', label: 'Details to restrict', options: o.recordFields },
				{ kind: 'select', name: 'ground', label: 'Ground', options: o.enums.restrictionGrounds, placeholder: 'Choose a ground', missing: 'Choose the ground' },
				reason()
			]
		},
		'req-erase': {
			key: 'req-erase',
			submit: [{ operation: 'fulfilErasure', label: 'Carry out the erasure' }],
			items: [
				requestHidden(id),
				{ kind: 'select', name: 'ground', label: 'Ground', options: o.enums.erasureGrounds, placeholder: 'Choose a ground', missing: 'Choose the ground for erasure' },
				{ kind: 'checkboxes', name: 'purposeCodes', label: 'Only for these purposes', hint: 'Leave all unticked to erase everything that may be erased.', options: o.purposes, blank: 'omit' }
			]
		},
		'req-objection': {
			key: 'req-objection',
			submit: [{ operation: 'fulfilObjection', label: 'Act on the objection' }],
			items: [
				requestHidden(id),
				optionalSelect('directMarketing.channel', 'Stop direct marketing by', o.enums.objectionChannels, 'Not a marketing objection'),
				{
					kind: 'group',
					legend: 'Or, an objection to other processing',
					fields: [
						optionalSelect('processing.purposeCode', 'Purpose objected to', o.purposes, 'None'),
						optionalSelect('processing.decision', 'Decision', [{ value: 'stop', label: 'Stop' }, { value: 'continue', label: 'Continue' }], 'None'),
						optionalSelect(
							'processing.continueOn',
							'Continuing rests on',
							[
								{ value: 'compelling-legitimate-grounds', label: 'Compelling legitimate grounds that override the person’s interests' },
								{ value: 'legal-claims', label: 'Establishing, exercising or defending legal claims' }
							],
							'Compelling legitimate grounds',
							'Only an objection under Art 21(1), to processing on legitimate interests or a public task, can be outweighed.',
							true
						),
						{ kind: 'textarea', name: 'processing.compellingGrounds', label: 'The grounds, or the legal claim, as recorded', blank: 'omit' }
					]
				}
			]
		},
		'req-notify': { key: 'req-notify', submit: [{ operation: 'notifyRecipients', label: 'Tell the recipients' }], items: [requestHidden(id), channel(o, 'omit')] },
		'req-refuse': {
			key: 'req-refuse',
			submit: [{ operation: 'refuseRequest', label: 'Refuse the request' }],
			items: [
				requestHidden(id),
				{ kind: 'select', name: 'grounds', label: 'Grounds', options: o.enums.refusalGrounds, placeholder: 'Choose grounds', missing: 'Choose the grounds for refusing' },
				{ kind: 'textarea', name: 'justification', label: 'Justification' },
				{ kind: 'text', name: 'exemption', label: 'Exemption relied on', blank: 'omit', wide: true }
			]
		},
		'req-withdraw': {
			key: 'req-withdraw',
			submit: [{ operation: 'withdrawRequest', label: 'Record it withdrawn' }],
			items: [requestHidden(id), { kind: 'text', name: 'note', label: 'Note', blank: 'omit', wide: true }]
		},

		// ── Consent and marketing ────────────────────────────────────────────────────────────────
		consent: {
			key: 'consent',
			submit: [{ operation: 'giveConsent', label: 'Record consent' }],
			items: [
				customerSelect(o),
				{ kind: 'select', name: 'purposeCode', label: 'Purpose', options: o.purposes, blank: 'pass', placeholder: 'Choose a purpose' },
				{ kind: 'select', name: 'channel', label: 'Channel', options: o.enums.contactChannels, placeholder: 'Choose a channel', missing: 'Choose the channel consented to' },
				{ kind: 'select', name: 'method', label: 'How it was given', options: o.enums.consentMethods, placeholder: 'Choose one', missing: 'Choose how consent was given' },
				{ kind: 'text', name: 'noticeVersion', label: 'Privacy notice version given', autocomplete: 'off' },
				{ kind: 'text', name: 'evidenceRef', label: 'Evidence reference', hint: 'For example the call recording.', blank: 'omit', wide: true },
				{ kind: 'select', name: 'givenBy', label: 'Given by', options: o.enums.consentGivers, blank: 'omit', defaultValue: 'data-subject' }
			]
		},
		withdrawConsent: {
			key: 'withdrawConsent',
			submit: [{ operation: 'withdrawConsent', label: 'Withdraw consent' }],
			items: [
				customerSelect(o),
				{ kind: 'select', name: 'purposeCode', label: 'Purpose', options: o.purposes, blank: 'pass', placeholder: 'Choose a purpose' },
				{ kind: 'select', name: 'channel', label: 'Channel', options: o.enums.contactChannels, placeholder: 'Choose a channel', missing: 'Choose the channel' },
				{ kind: 'text', name: 'method', label: 'How they withdrew it', blank: 'omit', autocomplete: 'off' }
			]
		},
		withdrawExplicitConsent: {
			key: 'withdrawExplicitConsent',
			submit: [{ operation: 'withdrawExplicitConsent', label: 'Withdraw explicit consent' }],
			items: [
				customerSelect(o),
				{
					kind: 'checkboxes',
					name: 'fields',
					label: 'Sensitive details it covers',
					hint: 'Health, vulnerability and other special category details held on the person’s explicit consent. Leave all unticked for every one.',
					options: o.recordFields,
					blank: 'omit'
				},
				{ kind: 'text', name: 'method', label: 'How they withdrew it', blank: 'omit', autocomplete: 'off' }
			]
		},
		objection: {
			key: 'objection',
			submit: [{ operation: 'recordMarketingObjection', label: 'Record the objection' }],
			items: [
				customerSelect(o),
				{ kind: 'select', name: 'channel', label: 'Stop marketing by', options: o.enums.objectionChannels, placeholder: 'Choose a channel', missing: 'Choose the channel' }
			]
		},

		// ── Breaches ─────────────────────────────────────────────────────────────────────────────
		breach: {
			key: 'breach',
			submit: [{ operation: 'registerBreach', label: 'Register the breach' }],
			items: [
				{ kind: 'datetime', name: 'awareAt', label: 'When we became aware', hint: 'The 72 hours to report run from here.', defaultValue: o.clockInput },
				{ kind: 'datetime', name: 'occurredAt', label: 'When it happened', blank: 'omit' },
				{ kind: 'textarea', name: 'description', label: 'What happened', hint: 'Without copying the personal data involved.' },
				{ kind: 'checkboxes', name: 'dataCategories', label: 'Data concerned', options: o.enums.dataCategories },
				{ kind: 'lines', name: 'subjectCategories', label: 'People concerned', hint: 'One a line, for example “customers”.' },
				{ kind: 'number', name: 'approxSubjects', label: 'About how many people' },
				{ kind: 'number', name: 'approxRecords', label: 'About how many records' },
				{ kind: 'checkboxes', name: 'affectedCustomerIds', label: 'Customers affected', options: o.customers, blank: 'omit' },
				{ kind: 'textarea', name: 'likelyConsequences', label: 'Likely consequences', blank: 'omit' },
				{ kind: 'textarea', name: 'measuresTaken', label: 'Measures taken', blank: 'omit' }
			]
		},
		'br-contain': {
			key: 'br-contain',
			submit: [{ operation: 'containBreach', label: 'Record containment' }],
			items: [breachHidden(id), { kind: 'textarea', name: 'measures', label: 'What was done to contain it' }]
		},
		'br-assess': {
			key: 'br-assess',
			submit: [{ operation: 'assessBreachRisk', label: 'Record the assessment' }],
			items: [
				breachHidden(id),
				{ kind: 'radios', name: 'risk', label: 'Risk to the people affected', options: o.enums.breachRisks, missing: 'Choose the level of risk' },
				{ kind: 'textarea', name: 'reasoning', label: 'Reasoning' },
				{ kind: 'textarea', name: 'likelyConsequences', label: 'Likely consequences', blank: 'omit' }
			]
		},
		'br-ico': {
			key: 'br-ico',
			submit: [{ operation: 'recordIcoNotification', label: 'Record the report' }],
			items: [
				breachHidden(id),
				{ kind: 'text', name: 'reference', label: 'ICO reference', autocomplete: 'off' },
				{ kind: 'datetime', name: 'notifiedAt', label: 'Reported at', blank: 'omit', defaultValue: o.clockInput },
				{ kind: 'textarea', name: 'lateReasons', label: 'Reasons for any delay', hint: 'Needed when the report is after the 72 hours.', blank: 'omit' }
			]
		},
		'br-noIco': {
			key: 'br-noIco',
			submit: [{ operation: 'recordIcoNotNotified', label: 'Record the decision' }],
			items: [breachHidden(id), { kind: 'textarea', name: 'reason', label: 'Why it is not being reported' }]
		},
		'br-told': {
			key: 'br-told',
			submit: [{ operation: 'recordSubjectsTold', label: 'Record them told' }],
			items: [breachHidden(id), { kind: 'number', name: 'count', label: 'How many people were told' }, { kind: 'datetime', name: 'toldAt', label: 'Told at', blank: 'omit', defaultValue: o.clockInput }]
		},
		'br-notTold': {
			key: 'br-notTold',
			submit: [{ operation: 'recordSubjectsNotTold', label: 'Record the decision' }],
			items: [
				breachHidden(id),
				{ kind: 'select', name: 'reason', label: 'Reason', options: o.enums.notToldReasons, placeholder: 'Choose a reason', missing: 'Choose the reason' },
				{ kind: 'textarea', name: 'explanation', label: 'Explanation' }
			]
		},
		'br-close': { key: 'br-close', submit: [{ operation: 'closeBreach', label: 'Close the breach' }], items: [breachHidden(id)] }
	} satisfies Record<string, FormSpec>;
	return forms as Record<keyof typeof forms, FormSpec>;
}

export type FormKey = keyof ReturnType<typeof deskForms>;

const FORM_KEYS = new Set<string>(Object.keys(deskForms()));

/** "view:abc" → { key: "view", instance: "abc" }, when the key names a form. */
export function parseFormId(formId: string): { key: FormKey; instance: string } | undefined {
	const [key, ...rest] = formId.split(':');
	if (key === undefined || !FORM_KEYS.has(key)) return undefined;
	return { key: key as FormKey, instance: rest.join(':') };
}

/** The fields of a form, groups flattened. */
export function fieldsOf(spec: FormSpec): FieldSpec[] {
	return spec.items.flatMap((item) => (item.kind === 'group' ? item.fields : [item]));
}

// ── Reading a posted form ────────────────────────────────────────────────────────────────────

/** Longest text kept from one input: longer is not something a learner typed on purpose. */
export const MAX_TEXT = 4000;
const MAX_KEYED = 60;
const KEY = /^[a-z][A-Za-z0-9]{0,63}$/;

/** What the learner entered, to show again after an error. */
export type FormValues = Record<string, string | string[]>;

/** What every action of the simulation screen answers: one shape, so the page reads one `form`. */
export interface DeskResult {
	kind: 'choice' | 'op' | 'end';
	formId?: string;
	values?: FormValues;
	problems?: FormProblem[];
	error?: { code: string; field?: string; message: string; issues?: { field: string; message: string }[] };
	/** A message about the attempt rather than a field: stale, ended, unknown reply. */
	message?: string;
	/** The attempt moved on elsewhere (another tab): the page shows where it is now. */
	stale?: boolean;
	/** The same action was sent again: nothing was applied twice. */
	replayed?: boolean;
	/** The record system's line for the action: what was done and how it came out. */
	said?: string;
}

export interface FormProblem {
	field: string;
	message: string;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
	const keys = path.split('.');
	let node: Record<string, unknown> | unknown[] = target;
	keys.forEach((key, i) => {
		const last = i === keys.length - 1;
		const slot = /^\d+$/.test(key) ? Number(key) : key;
		if (last) {
			(node as Record<string | number, unknown>)[slot] = value;
			return;
		}
		const nextIsIndex = /^\d+$/.test(keys[i + 1]!);
		const existing = (node as Record<string | number, unknown>)[slot];
		const child = existing ?? (nextIsIndex ? [] : {});
		(node as Record<string | number, unknown>)[slot] = child;
		node = child as Record<string, unknown>;
	});
}

/** A field's text, read one character past the longest kept, so that too long is seen as too long. */
const text = (form: FormData, name: string): string => posted.text(form, name, { max: MAX_TEXT + 1 });

/**
 * Reads a posted form as its description says: the operation's input, the values to show again
 * if something is wrong, and the problems found in reading it (nothing is sent when there are any).
 */
export function readForm(spec: FormSpec, form: FormData): { input: Record<string, unknown>; values: FormValues; problems: FormProblem[] } {
	const input: Record<string, unknown> = {};
	const values: FormValues = {};
	const problems: FormProblem[] = [];
	const tooLong = (name: string, value: string) => {
		if (value.length <= MAX_TEXT) return false;
		problems.push({ field: name, message: `This is too long: at most ${MAX_TEXT.toLocaleString('en-GB')} characters` });
		values[name] = value.slice(0, MAX_TEXT);
		return true;
	};

	for (const field of fieldsOf(spec)) {
		switch (field.kind) {
			case 'hidden': {
				const value = posted.text(form, field.name, { max: 200 });
				if (value !== '') setPath(input, field.name, value);
				break;
			}
			case 'keyed': {
				const record: Record<string, string> = {};
				let count = 0;
				for (const [name, value] of form.entries()) {
					if (!name.startsWith(`${field.name}.`) || typeof value !== 'string') continue;
					const key = name.slice(field.name.length + 1);
					if (!KEY.test(key) || ++count > MAX_KEYED) continue;
					if (tooLong(name, value)) continue;
					values[name] = value;
					if (value.trim() !== '') record[key] = value;
				}
				setPath(input, field.name, record);
				break;
			}
			case 'checkboxes': {
				const chosen = posted.all(form, field.name, { count: 100, max: 200 });
				values[field.name] = chosen;
				if (chosen.length > 0 || field.blank !== 'omit') setPath(input, field.name, chosen);
				break;
			}
			case 'checkbox': {
				const on = text(form, field.name) !== '';
				values[field.name] = on ? 'on' : '';
				setPath(input, field.name, on);
				break;
			}
			case 'yesno': {
				const value = text(form, field.name);
				values[field.name] = value;
				if (value === 'yes' || value === 'no') setPath(input, field.name, value === 'yes');
				else problems.push({ field: field.name, message: field.missing ?? `Answer “${field.label}”` });
				break;
			}
			case 'lines': {
				const value = text(form, field.name);
				if (tooLong(field.name, value)) break;
				values[field.name] = value;
				const lines = value
					.split(/\r?\n/)
					.map((l) => l.trim())
					.filter((l) => l !== '');
				if (lines.length > 0 || field.blank !== 'omit') setPath(input, field.name, lines);
				break;
			}
			case 'number': {
				const value = text(form, field.name).trim();
				values[field.name] = value.slice(0, 40);
				if (value === '') {
					if (field.blank === 'omit') break;
					problems.push({ field: field.name, message: `Enter a number for “${field.label}”` });
				} else if (!/^\d{1,9}$/.test(value)) {
					problems.push({ field: field.name, message: `Enter a whole number for “${field.label}”, like 3` });
				} else {
					setPath(input, field.name, Number(value));
				}
				break;
			}
			case 'datetime': {
				const value = text(form, field.name).trim();
				values[field.name] = value.slice(0, 40);
				if (value === '') {
					if (field.blank === 'omit') break;
					problems.push({ field: field.name, message: `Enter the date and time for “${field.label}”` });
					break;
				}
				const instant = ukInstant(value);
				if (instant === undefined) problems.push({ field: field.name, message: 'Enter a real date and time, like 07/03/2025 15:40' });
				else setPath(input, field.name, instant);
				break;
			}
			case 'select':
			case 'radios': {
				const value = posted.text(form, field.name, { max: 200 });
				values[field.name] = value;
				const blank = field.blank ?? 'require';
				if (value !== '') setPath(input, field.name, value);
				else if (blank === 'pass') setPath(input, field.name, '');
				else if (blank === 'require') problems.push({ field: field.name, message: field.missing ?? `Choose an answer for “${field.label}”` });
				break;
			}
			default: {
				const value = text(form, field.name);
				if (tooLong(field.name, value)) break;
				values[field.name] = value;
				const blank = field.blank ?? 'pass';
				if (value.trim() === '') {
					if (blank === 'pass') setPath(input, field.name, value);
					else if (blank === 'require') problems.push({ field: field.name, message: `Enter “${field.label}”` });
				} else {
					setPath(input, field.name, value);
				}
			}
		}
	}
	return { input, values, problems };
}

/**
 * The input a core error names, among a form's inputs: the same name, a name ending in it
 * ("postcode" → "fields.postcode"), or the list it indexes ("purposeCodes.0" → "purposeCodes").
 */
export function inputFor(inputNames: readonly string[], errorField: string | undefined): string | undefined {
	if (errorField === undefined || errorField === '') return undefined;
	if (inputNames.includes(errorField)) return errorField;
	const suffix = inputNames.find((n) => n.endsWith(`.${errorField}`));
	if (suffix !== undefined) return suffix;
	return inputNames.find((n) => errorField.startsWith(`${n}.`));
}

/** The names of a form's inputs as drawn (keyed groups expanded). */
export function inputNames(spec: FormSpec): string[] {
	return fieldsOf(spec).flatMap((f) => (f.kind === 'keyed' ? [f.name, ...f.keys.map((k) => `${f.name}.${k.key}`)] : f.kind === 'hidden' ? [] : [f.name]));
}
