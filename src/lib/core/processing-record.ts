/**
 * The record of processing activities (UK GDPR Art 30(1)), produced from the core's own
 * configuration: the workspace (controller and DPO), its purposes and retention rules, and the
 * disclosure log (recipients actually supplied).
 */
import { and, count, eq } from 'drizzle-orm';
import type { CoreContext } from './context';
import { dbGet, dbAll, writeTransaction } from './database';
import { appendAudit } from './audit';
import { purposes } from './purposes';
import { retentionRules, type RetentionRule } from './retention';
import { err, ok, type Result } from './result';
import { disclosure, workspace } from './schema';

/**
 * Art 30(1)(g): the technical and organisational security measures, as this system implements them
 * (Art 32). Organisational measures outside the system belong in the organisation's own policies.
 */
export const SECURITY_MEASURES = [
	'Every action on personal data is written to an append-only, hash-chained audit log (SHA-256); the database refuses changes to it and verification names the first altered entry.',
	'The audit log holds pseudonymous record ids and field names, never personal values.',
	'Access to records is by role and need to know; every search and every record opened is logged with its purpose.',
	'Corrections keep the old value, the new value, who, when and why.',
	'Identity is verified before disclosure; every disclosure is logged with its recipient, basis and approver.',
	'Retention rules give every value a retain-until date; disposal runs erase or anonymise what has passed it unless a legal hold applies.',
	'Special category and criminal-offence data are held apart from ordinary data, each with its recorded condition.'
] as const;

export interface RecordOfProcessing {
	producedAt: string;
	controller: { name: string };
	dpo: { name: string; email: string; phone: string };
	purposes: Array<{
		code: string;
		name: string;
		description: string;
		active: boolean;
		lawfulBasis: string;
		basisDetail: string;
		directMarketing: boolean;
		dataSubjectCategories: string[];
		dataCategories: string[];
		fields: string[];
		recipientCategories: string[];
		transfers: string;
		automatedDecisionMaking: string;
		retention: Pick<RetentionRule, 'code' | 'description' | 'periodMonths' | 'trigger' | 'action' | 'authority'> | null;
	}>;
	dataSubjectCategories: string[];
	dataCategories: string[];
	recipients: {
		/** Categories of recipient the purposes name (Art 30(1)(d)). */
		stated: string[];
		/** Recipients actually supplied, from the disclosure log: type, organisation, lawful disclosures made. */
		disclosed: Array<{ recipientType: string; organisation: string; disclosures: number }>;
	};
	transfers: Array<{ purposeCode: string; transfers: string }>;
	retentionLimits: Array<Pick<RetentionRule, 'code' | 'description' | 'periodMonths' | 'trigger' | 'action' | 'authority'>>;
	securityMeasures: readonly string[];
}

const union = (lists: string[][]) => [...new Set(lists.flat())].sort();

/** Produces the Art 30 record, and audits that it was produced. */
export async function recordOfProcessing(ctx: CoreContext): Promise<Result<RecordOfProcessing>> {
	return await writeTransaction(ctx.db, async () => {
		const org = await dbGet(ctx.db.select().from(workspace).where(eq(workspace.id, ctx.workspaceId)));
		if (!org) return err('workspace.not-found', `No workspace ${ctx.workspaceId}`);
		const rules = await retentionRules(ctx);
		const ruleOf = (id: string) => {
			const rule = rules.find((r) => r.id === id);
			return rule
				? { code: rule.code, description: rule.description, periodMonths: rule.periodMonths, trigger: rule.trigger, action: rule.action, authority: rule.authority }
				: null;
		};
		const all = await purposes(ctx);
		// Art 30(1)(d): recipients to whom data "have been or will be disclosed". Unauthorised
		// disclosures are breaches in the breach register, not recipients of the organisation.
		const disclosed = await dbAll(ctx.db
			.select({ recipientType: disclosure.recipientType, organisation: disclosure.recipientOrganisation, disclosures: count() })
			.from(disclosure)
			.where(and(eq(disclosure.workspaceId, ctx.workspaceId), eq(disclosure.authorised, true)))
			.groupBy(disclosure.recipientType, disclosure.recipientOrganisation)
			.orderBy(disclosure.recipientType, disclosure.recipientOrganisation));
		const record: RecordOfProcessing = {
			producedAt: ctx.clock(),
			controller: { name: org.organisationName },
			dpo: { name: org.dpoName, email: org.dpoEmail, phone: org.dpoPhone },
			purposes: all.map((p) => ({
				code: p.code,
				name: p.name,
				description: p.description,
				active: p.active,
				lawfulBasis: p.lawfulBasis,
				basisDetail: p.basisDetail,
				directMarketing: p.directMarketing,
				dataSubjectCategories: p.dataSubjectCategories,
				dataCategories: p.categories,
				fields: p.fields,
				recipientCategories: p.recipientCategories,
				transfers: p.transfers,
				automatedDecisionMaking: p.automatedDecisionMaking,
				retention: ruleOf(p.retentionRuleId)
			})),
			dataSubjectCategories: union(all.map((p) => p.dataSubjectCategories)),
			dataCategories: union(all.map((p) => p.categories)),
			recipients: { stated: union(all.map((p) => p.recipientCategories)), disclosed },
			transfers: all.filter((p) => p.transfers !== '').map((p) => ({ purposeCode: p.code, transfers: p.transfers })),
			retentionLimits: rules.map((r) => ({
				code: r.code,
				description: r.description,
				periodMonths: r.periodMonths,
				trigger: r.trigger,
				action: r.action,
				authority: r.authority
			})),
			securityMeasures: SECURITY_MEASURES
		};
		await appendAudit(ctx, {
			action: 'processing.record.produced',
			subjectType: 'workspace',
			subject: ctx.workspaceId,
			details: { purposes: record.purposes.length, retentionRules: rules.length }
		});
		return ok(record);
	});
}

const TRIGGER_WORDS: Record<string, string> = {
	collected: 'after collection',
	'relationship-ended': 'after the relationship ends',
	'last-contact': 'after the last contact',
	'consent-withdrawn': 'after consent is withdrawn'
};

function period(months: number): string {
	if (months % 12 === 0) return months === 12 ? '1 year' : `${months / 12} years`;
	return months === 1 ? '1 month' : `${months} months`;
}

/** The record as a printable plain-text document. */
export function formatRecordOfProcessing(record: RecordOfProcessing): string {
	const lines: string[] = [];
	const heading = (text: string) => lines.push('', text, '-'.repeat(text.length));
	const list = (items: readonly string[]) => (items.length === 0 ? lines.push('  (none)') : items.forEach((i) => lines.push(`  - ${i}`)));
	const title = 'Record of processing activities (UK GDPR Article 30)';
	lines.push(title, '='.repeat(title.length), `Produced: ${record.producedAt}`);
	heading('Controller and data protection officer (Art 30(1)(a))');
	lines.push(`  Controller: ${record.controller.name}`);
	lines.push(`  Data protection officer: ${record.dpo.name}, ${record.dpo.email}${record.dpo.phone ? `, ${record.dpo.phone}` : ''}`);
	heading('Purposes of processing (Art 30(1)(b))');
	for (const p of record.purposes) {
		lines.push('', `  ${p.name} [${p.code}]${p.active ? '' : ' (retired)'}`);
		lines.push(`    ${p.description}`);
		lines.push(`    Lawful basis: ${p.lawfulBasis}${p.basisDetail ? ` (${p.basisDetail})` : ''}`);
		if (p.directMarketing) lines.push('    Direct marketing: yes (objection stops it at once, Art 21(3))');
		lines.push(`    People: ${p.dataSubjectCategories.join(', ')}`);
		lines.push(`    Data: ${p.dataCategories.join(', ')} (fields: ${p.fields.join(', ')})`);
		lines.push(`    Recipients: ${p.recipientCategories.length > 0 ? p.recipientCategories.join(', ') : 'none'}`);
		lines.push(`    Transfers outside the UK: ${p.transfers || 'none'}`);
		if (p.automatedDecisionMaking) lines.push(`    Automated decision-making: ${p.automatedDecisionMaking}`);
		if (p.retention) {
			lines.push(`    Retention: ${period(p.retention.periodMonths)} ${TRIGGER_WORDS[p.retention.trigger] ?? p.retention.trigger}, then ${p.retention.action}d [${p.retention.code}]`);
		}
	}
	heading('Categories of people (Art 30(1)(c))');
	list(record.dataSubjectCategories);
	heading('Categories of personal data (Art 30(1)(c))');
	list(record.dataCategories);
	heading('Recipients (Art 30(1)(d))');
	lines.push('  Stated by the purposes:');
	list(record.recipients.stated);
	lines.push('  Supplied, from the disclosure log:');
	list(record.recipients.disclosed.map((r) => `${r.recipientType}${r.organisation ? `: ${r.organisation}` : ''} (${r.disclosures} disclosure${r.disclosures === 1 ? '' : 's'})`));
	heading('Transfers to third countries (Art 30(1)(e))');
	list(record.transfers.map((t) => `${t.purposeCode}: ${t.transfers}`));
	heading('Retention limits (Art 30(1)(f))');
	list(
		record.retentionLimits.map(
			(r) => `${r.code}: ${period(r.periodMonths)} ${TRIGGER_WORDS[r.trigger] ?? r.trigger}, then ${r.action}d. ${r.description}${r.authority ? ` (${r.authority})` : ''}`
		)
	);
	heading('Security measures (Art 30(1)(g), Art 32)');
	list(record.securityMeasures);
	return lines.join('\n') + '\n';
}
