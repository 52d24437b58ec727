/** What the editor's page shows of a draft: the checker's problems, the dialogue graph and the marking points. */
export interface SourceProblem {
	file: string;
	path: string;
	message: string;
	line?: number;
}

export interface GraphChoiceView {
	id: string;
	label: string;
	goto: string;
	event?: string;
	quality?: string;
	point?: string;
	broken: boolean;
}

export interface GraphNodeView {
	id: string;
	kind: 'turn' | 'branch' | 'end';
	speaker?: string;
	text?: string;
	line?: number;
	choices: GraphChoiceView[];
	next: { label: string; goto: string; broken: boolean }[];
	start: boolean;
	reachable: boolean;
	deadEnd: boolean;
}

export interface GraphSummaryView {
	start: string;
	nodes: number;
	choices: number;
	unreachable: number;
	deadEnds: number;
	missingTargets: number;
	withProblems: number;
}

/** The whole dialogue's summary and one page of its nodes (all, or only those with problems). */
export interface GraphView {
	summary: GraphSummaryView;
	filter: 'all' | 'problems';
	page: number;
	pages: number;
	matching: number;
	nodes: GraphNodeView[];
}

export interface PointView {
	id: string;
	description: string;
	critical: boolean;
	weight?: number;
	effectiveWeight: number;
	share: number;
	ruleNamed: boolean;
	taggedChoices: number;
	criteria: { code: string; title: string }[];
}
