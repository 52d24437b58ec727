// The core's tables, one file per concept under ./schema. drizzle.config.ts reads this entry.
export * from './schema/workspace';
export * from './schema/retention';
export * from './schema/purpose';
export * from './schema/recipient-directory';
export * from './schema/customer';
export * from './schema/consent';
export * from './schema/third-party';
export * from './schema/opg-register';
export * from './schema/interaction';
export * from './schema/verification';
export * from './schema/disclosure';
export * from './schema/rights-request';
export * from './schema/breach';
export * from './schema/finding';
export * from './schema/audit';
