/**
 * What the editor's page shows of a draft: the checker's problems, the dialogue graph and the
 * marking points. The shapes are sim's (sim/scenario-source.ts reads the draft); a marking point's
 * criteria arrive with their titles, added by the server.
 */
import type { ScenarioError } from '$lib/sim/scenario-check';
import type { GraphPage, MarkingPointView } from '$lib/sim/scenario-source';

export type SourceProblem = ScenarioError;
export type GraphView = GraphPage;
export type PointView = Omit<MarkingPointView, 'criteria'> & { criteria: { code: string; title: string }[] };
