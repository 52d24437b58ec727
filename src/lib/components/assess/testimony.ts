/** What a witness testimony says, as the learner or assessor records it. */
export interface TestimonyFields {
	witnessName: string;
	witnessRole: string;
	relationship: string;
	statement: string;
	witnessedOn: string;
	declaredCriteria: string[];
}

/** A recorded testimony, with the criteria an assessor mapped it to (null until mapped). */
export interface Testimony extends TestimonyFields {
	id: string;
	criteria: string[] | null;
	mappedByName: string | null;
	mappedAt: string | null;
	recordedByName: string;
	recordedAt: string;
}
