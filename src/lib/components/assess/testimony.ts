/** What a witness testimony says, as the learner or assessor records it. */
export interface TestimonyFields {
	witnessName: string;
	witnessRole: string;
	relationship: string;
	witnessContact: string;
	statement: string;
	witnessedOn: string;
	witnessSignedName: string;
	witnessSignedOn: string;
	/** 'yes' once the recorder confirms the witness is not a relative. */
	notRelative: string;
	declaredCriteria: string[];
}

/** A recorded testimony, with the criteria an assessor mapped it to (null until mapped). */
export interface Testimony extends Omit<TestimonyFields, 'witnessSignedName' | 'witnessSignedOn' | 'notRelative'> {
	/** The witness's signature; null for testimony recorded before signatures were asked for. */
	witnessSignedName: string | null;
	witnessSignedOn: string | null;
	notRelative: boolean;
	id: string;
	criteria: string[] | null;
	mappedByName: string | null;
	mappedAt: string | null;
	recordedByName: string;
	recordedAt: string;
}
