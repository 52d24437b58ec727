import type { LayoutServerLoad } from './$types';

/**
 * Nothing to load for the group itself. Access is decided in hooks.server.ts from the matched route
 * before any load runs, and again in each area's own loads and actions (withRole): never here, since
 * a layout load does not run on every navigation.
 */
export const load = (() => ({})) satisfies LayoutServerLoad;
