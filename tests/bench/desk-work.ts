import type { CoreOperationName } from '../../src/lib/sim/desk/registry';

/**
 * Ordinary work at the desk on spouse-caller's account holder, in turn: open the record, check an
 * authority, search, log the contact (each one audit entry or more). The benchmarks that drive the
 * runtime and the screen use the same mix.
 */
export function deskWork(customerId: string, n: number): { operation: CoreOperationName; input: unknown } {
	switch (n % 4) {
		case 0:
			return { operation: 'viewCustomer', input: { customerId, purposeCode: 'supply-and-billing' } };
		case 1:
			return { operation: 'checkAuthority', input: { customerId, thirdPartyId: 'none-on-file', categories: ['financial'], action: 'receive-information' } };
		case 2:
			return { operation: 'searchCustomers', input: { name: 'Hughes', postcode: 'NN15', purposeCode: 'supply-and-billing' } };
		default:
			return { operation: 'logInteraction', input: { customerId, channel: 'phone', direction: 'inbound', partyType: 'unauthorised-third-party', nature: 'Balance enquiry' } };
	}
}
