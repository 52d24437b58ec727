/**
 * The criteria of the unit "Process information about customers", as data.
 *
 * Everything else — scenario files, the learner's coverage map, the assessor's grid, the portfolio
 * PDF — refers to a criterion by its `code` only. Codes are stable: never renumber, never reuse a
 * retired code; add new criteria at the end of their kind.
 *
 * Sources are the seed documents in /shared/seeds (cited by file name):
 * - 003: the National Occupational Standard — performance criteria (PC) and knowledge (K);
 * - 000, 001, 002: examiner marking points (EMP);
 * - 004: Focus Awards assessment criteria (AC).
 *
 * `text` is the wording of the source, verbatim except for obvious typos (each fix is marked with a
 * comment). Where two items require the same evidence they are one criterion: `source` lists every
 * document that states it and `alsoStatedAs` keeps the other wordings verbatim.
 */

/** What kind of requirement a criterion is, which also says where it comes from. */
export type CriterionKind = 'performance' | 'knowledge' | 'marking-point' | 'assessment';

export const SEED_FILES = [
	'000_042e24a3e3e7ff3d.txt',
	'001_57f46ec30dfb22b1.txt',
	'002_4f5b1953538532d7.txt',
	'003_b3411dfa894b9c82.txt',
	'004_bcf6fe3aa8fedbd2.txt'
] as const;

export type SeedFile = (typeof SEED_FILES)[number];

const S000 = '000_042e24a3e3e7ff3d.txt';
const S001 = '001_57f46ec30dfb22b1.txt';
const S002 = '002_4f5b1953538532d7.txt';
const S003 = '003_b3411dfa894b9c82.txt';
const S004 = '004_bcf6fe3aa8fedbd2.txt';

export interface CriterionDefinition {
	/** Stable short code: PC01.., K01.., EMP01.., AC01.., numbered in document order. */
	readonly code: string;
	readonly kind: CriterionKind;
	/** Three to eight words a learner understands at a glance. */
	readonly title: string;
	/** The criterion as its (first) source states it. */
	readonly text: string;
	/** The seed file, or files when the same criterion is stated in several. */
	readonly source: SeedFile | readonly SeedFile[];
	/** Other wordings of the same criterion, verbatim, when several items were merged. */
	readonly alsoStatedAs?: readonly string[];
}

export interface CriterionKindDefinition {
	readonly kind: CriterionKind;
	/** Singular label, e.g. for a badge next to a code. */
	readonly label: string;
	/** Plural label, e.g. for a section heading. */
	readonly plural: string;
	readonly codePrefix: string;
	/** The standard's lead-in that the (lower-case) criterion text continues, if any. */
	readonly stem: string | null;
}

/** The kinds, in display order. */
export const CRITERION_KINDS = [
	{
		kind: 'performance',
		label: 'Performance criterion',
		plural: 'Performance criteria',
		codePrefix: 'PC',
		stem: 'You must be able to'
	},
	{
		kind: 'knowledge',
		label: 'Knowledge and understanding',
		plural: 'Knowledge and understanding',
		codePrefix: 'K',
		stem: 'You need to know and understand'
	},
	{
		kind: 'marking-point',
		label: 'Examiner marking point',
		plural: 'Examiner marking points',
		codePrefix: 'EMP',
		stem: null
	},
	{
		kind: 'assessment',
		label: 'Assessment criterion',
		plural: 'Assessment criteria',
		codePrefix: 'AC',
		stem: null
	}
] as const satisfies readonly CriterionKindDefinition[];

export const UNIT = {
	title: 'Process information about customers',
	standard: 'National Occupational Standard: Customer Service (Process information about customers)',
	competenceArea: 'Customer Service Foundations',
	source: S003
} as const;

export const CRITERIA = [
	// ── Performance criteria (003: "You must be able to:") ──────────────────────────────────────
	{
		code: 'PC01',
		kind: 'performance',
		title: 'Collect and record new customer information',
		text: "collect and record new information about customers in accordance with your organisation's guidelines",
		source: S003
	},
	{
		code: 'PC02',
		kind: 'performance',
		title: 'Enter new information in the system',
		text: "record new information about customers in your organisation's systems",
		source: S003
	},
	{
		code: 'PC03',
		kind: 'performance',
		title: 'Update existing customer information',
		text: 'update existing information about customers',
		source: S003
	},
	{
		code: 'PC04',
		kind: 'performance',
		title: 'Record accurate, sufficient and relevant information',
		text: 'record information about customers following organisational guidelines for accuracy, sufficiency and relevance',
		source: S003
	},
	{
		code: 'PC05',
		kind: 'performance',
		title: "Answer colleagues' authorised information requests",
		text: 'respond to authorised requests for information about customers from colleagues',
		source: S003
	},
	{
		code: 'PC06',
		kind: 'performance',
		title: 'Select relevant information for customers',
		text: "select relevant information for customers following your organisation's guidelines",
		source: S003
	},
	{
		code: 'PC07',
		kind: 'performance',
		title: "Select information matching colleagues' requests",
		text: 'select information for colleagues that matches their requests',
		source: S003
	},
	{
		code: 'PC08',
		kind: 'performance',
		title: 'Supply accurate and sufficient information',
		text: "supply accurate and sufficient information about customers to meet your customers' or colleagues' expectations",
		source: S003
	},
	{
		code: 'PC09',
		kind: 'performance',
		title: 'Ask colleagues for help accessing information',
		// Typo fixed: the standard reads "seek support form colleagues".
		text: 'seek support from colleagues when you are unable to access the information you require',
		source: S003
	},
	{
		code: 'PC10',
		kind: 'performance',
		title: 'Choose how to supply information',
		text: 'choose how to supply information to your customers or colleagues using the systems available',
		source: S003
	},
	{
		code: 'PC11',
		kind: 'performance',
		title: 'Confirm information was received and understood',
		text: 'confirm that your customers and colleagues have received and understood the requested information',
		source: S003
	},
	{
		code: 'PC12',
		kind: 'performance',
		title: 'Follow law, policies and codes of practice',
		// Same wording as K11, but a different requirement: doing it, not knowing it.
		text: 'follow the legal, organisational, codes of practice and policies relevant to your role and the activities being carried out',
		source: S003
	},

	// ── Knowledge and understanding (003: "You need to know and understand:") ─────────────────────
	{
		code: 'K01',
		kind: 'knowledge',
		title: 'Procedures for collecting, retrieving and supplying information',
		text: "your organisation's procedures and guidelines for collecting, retrieving and supplying information about customers",
		source: S003
	},
	{
		code: 'K02',
		kind: 'knowledge',
		title: 'What personal information to keep on record',
		text: 'the types of personal information about customers that should or should not be kept on record',
		source: S003
	},
	{
		code: 'K03',
		kind: 'knowledge',
		title: 'Collecting and validating information lawfully',
		text: 'how to collect and validate information about customers in accordance with data protection legislation',
		source: S003
	},
	{
		code: 'K04',
		kind: 'knowledge',
		title: 'Operating the customer information system',
		text: "how to operate your organisation's customer information storage system",
		source: S003
	},
	{
		code: 'K05',
		kind: 'knowledge',
		title: 'Who processes data and their roles',
		text: 'the colleagues involved in data processing in your organisation and their roles and responsibilities in relation to you',
		source: S003
	},
	{
		code: 'K06',
		kind: 'knowledge',
		title: 'How correct processing improves customer service',
		text: 'the ways that processing information about customers correctly contributes to customer service',
		source: S003
	},
	{
		code: 'K07',
		kind: 'knowledge',
		title: 'Attention to detail and quality checks',
		text: 'the importance of attention to detail when processing information about customers and how to conduct quality checks',
		source: S003
	},
	{
		code: 'K08',
		kind: 'knowledge',
		title: 'Storing and using customer data',
		text: 'how to store and use customer data',
		source: S003
	},
	{
		code: 'K09',
		kind: 'knowledge',
		title: 'What to do after errors or breaches',
		text: 'the procedures to follow if you make errors in data and what to do if you, or a colleague, breaches data protection regulations',
		source: S003
	},
	{
		code: 'K10',
		kind: 'knowledge',
		title: 'Managing and removing customer records',
		text: "how information should be managed and removed from your organisation's records, when required",
		source: S003
	},
	{
		code: 'K11',
		kind: 'knowledge',
		title: 'Law, policies and codes of practice',
		text: 'the legal, organisational, codes of practice and policies relevant to your role and the activities being carried out',
		source: S003
	},

	// ── Examiner marking points (000, 001, 002) ──────────────────────────────────────────────────
	{
		code: 'EMP01',
		kind: 'marking-point',
		title: 'Collect information using approved forms or tools',
		text: 'Evidence must show systematic collection of customer information using approved organisational forms or digital tools.',
		source: S000
	},
	{
		code: 'EMP02',
		kind: 'marking-point',
		title: 'Retrieve data using suitable search criteria',
		text: 'Award credit for accurately selecting and retrieving data from secure databases, demonstrating understanding of search criteria.',
		source: S000
	},
	{
		code: 'EMP03',
		kind: 'marking-point',
		title: 'Verify identity before disclosing information',
		// All three documents credit the same act: verification done before anything is disclosed.
		// 000's wording is kept as the text because it is the widest (customers and third parties).
		text: 'Mark for correct implementation of verification procedures before supplying information to customers or third parties.',
		source: [S000, S001, S002],
		alsoStatedAs: [
			'Assessor should confirm that the learner verified customer identity before disclosing any personal data',
			'Look for demonstration of verifying customer identity before disclosing personal information.'
		]
	},
	{
		code: 'EMP04',
		kind: 'marking-point',
		title: 'Keep an audit trail of disclosures',
		text: 'Credit should be given for maintaining a clear audit trail of information disclosures, including timestamps and rationale.',
		source: S000
	},
	{
		code: 'EMP05',
		kind: 'marking-point',
		title: 'Identify three data protection principles',
		text: 'Award credit for correctly identifying at least three data protection principles relevant to customer information processing',
		source: S001
	},
	{
		code: 'EMP06',
		kind: 'marking-point',
		title: 'Handle customer information securely',
		text: 'Look for evidence of secure handling procedures, such as password-protected files or following confidentiality protocols when discussing customer details',
		source: S001
	},
	{
		code: 'EMP07',
		kind: 'marking-point',
		title: 'Cite policies and legislation in written work',
		text: 'In written work, expect reference to specific organisational policies or industry legislation (e.g., UK GDPR)',
		source: S001
	},
	{
		code: 'EMP08',
		kind: 'marking-point',
		title: 'Enter data accurately and log corrections',
		text: 'For practical tasks, observe that data is entered without errors and any corrections are clearly logged',
		source: S001
	},
	{
		code: 'EMP09',
		kind: 'marking-point',
		title: "Explain individuals' data protection rights",
		text: 'Award credit for correctly explaining the rights of individuals under data protection laws.',
		source: S002
	},
	{
		code: 'EMP10',
		kind: 'marking-point',
		title: 'Follow company procedures for customer queries',
		text: 'Require evidence of following specific company procedures when processing a customer query.',
		source: S002
	},
	{
		code: 'EMP11',
		kind: 'marking-point',
		title: 'Update records with time-stamped logs',
		text: "Assess the learner's ability to update records accurately with time-stamped logs.",
		source: S002
	},
	{
		code: 'EMP12',
		kind: 'marking-point',
		title: 'Understand data retention and disposal',
		text: 'Check for understanding of data retention and disposal policies.',
		source: S002
	},

	// ── Assessment criteria (004: "Assessment Criteria") ─────────────────────────────────────────
	{
		code: 'AC01',
		kind: 'assessment',
		title: 'Record customer details accurately',
		text: 'Award credit for demonstrating accurate recording of customer details (e.g., name, contact information, preferences) in a suitable format or system.',
		source: S004
	},
	{
		code: 'AC02',
		kind: 'assessment',
		title: 'Explain why confidentiality and security matter',
		text: 'Award credit for explaining why it is important to keep customer information confidential and secure, referring to data protection principles.',
		source: S004
	},
	{
		code: 'AC03',
		kind: 'assessment',
		title: 'Recognise when information needs updating',
		text: 'Award credit for identifying when customer information needs updating and describing the appropriate steps to take.',
		source: S004
	},
	{
		code: 'AC04',
		kind: 'assessment',
		title: 'Use information to meet needs, respecting privacy',
		text: 'Award credit for outlining how to use customer information to meet their needs while respecting privacy.',
		source: S004
	},
	{
		code: 'AC05',
		kind: 'assessment',
		title: 'Input and retrieve using the customer system',
		text: 'Award credit for demonstrating correct use of designated customer management systems to input and retrieve information, with attention to data fields and mandatory details.',
		source: S004
	},
	{
		code: 'AC06',
		kind: 'assessment',
		title: 'Log every customer interaction accurately',
		// 004 states this twice: both ask for a record of each interaction and the actions taken.
		text: 'Assessors will look for evidence that all customer interactions are logged accurately, including date, time, nature of enquiry, and actions taken, in accordance with organisational protocols.',
		source: S004,
		alsoStatedAs: [
			'Clear documentation of the steps taken to process and record customer service interactions'
		]
	},
	{
		code: 'AC07',
		kind: 'assessment',
		title: 'Comply with UK GDPR and DPA 2018',
		text: 'Expect to see adherence to the principles of the Data Protection Act 2018 and UK GDPR when handling personal data, including obtaining consent where required and ensuring secure storage.',
		source: S004
	},
	{
		code: 'AC08',
		kind: 'assessment',
		title: 'Collect complete information with correct tools',
		// 004 states this twice: both credit collecting customer details with the right tool or system.
		text: 'Award credit for demonstrating the accurate collection of customer information using the correct tools and methods, ensuring completeness and legibility of records.',
		source: S004,
		alsoStatedAs: [
			'Award credit for demonstrating the correct use of data entry systems when collecting customer details'
		]
	},
	{
		code: 'AC09',
		kind: 'assessment',
		title: 'Retrieve and cross-check information efficiently',
		text: 'The learner must show evidence of retrieving customer information efficiently, using appropriate search parameters and cross-referencing data sources to ensure accuracy.',
		source: S004
	},
	{
		code: 'AC10',
		kind: 'assessment',
		title: 'Supply information clearly, securely and lawfully',
		text: 'When supplying information, the assessor should look for clear communication, verification of customer identity, and adherence to data protection policies regarding what information can be shared and with whom.',
		source: S004
	},
	{
		code: 'AC11',
		kind: 'assessment',
		title: 'Show understanding of law and procedures',
		text: 'Evidence of understanding should include reference to legal requirements, company procedures for processing data, and examples of maintaining data integrity and confidentiality.',
		source: S004
	},
	{
		code: 'AC12',
		kind: 'assessment',
		title: 'Select information relevant to the request',
		text: 'Evidence of selecting relevant information based on specific query or request',
		source: S004
	},
	{
		code: 'AC13',
		kind: 'assessment',
		title: 'Share with third parties lawfully',
		text: 'Confirmation of adherence to GDPR when supplying information to third parties',
		source: S004
	},
	{
		code: 'AC14',
		kind: 'assessment',
		title: 'Check retrieved data is current and accurate',
		text: 'Application of verification checks to ensure retrieved data is up-to-date and accurate',
		source: S004
	}
] as const satisfies readonly CriterionDefinition[];

export type CriterionCode = (typeof CRITERIA)[number]['code'];

/** A criterion as the rest of the app sees it: the definition, with its code known to exist. */
export interface Criterion extends CriterionDefinition {
	readonly code: CriterionCode;
}

const BY_CODE: ReadonlyMap<string, Criterion> = new Map(
	CRITERIA.map((c): [string, Criterion] => [c.code, c])
);

/** The criterion with this code, or undefined if there is none. */
export function criterionByCode(code: string): Criterion | undefined {
	return BY_CODE.get(code);
}

export function isCriterionCode(code: string): code is CriterionCode {
	return BY_CODE.has(code);
}

/** The criteria of one kind, in code order. */
export function criteriaOfKind(kind: CriterionKind): Criterion[] {
	return CRITERIA.filter((c) => c.kind === kind);
}

/** A criterion's source documents, always as a list. */
export function criterionSources(criterion: CriterionDefinition): readonly SeedFile[] {
	return typeof criterion.source === 'string' ? [criterion.source] : criterion.source;
}
