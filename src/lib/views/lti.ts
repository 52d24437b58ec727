/** What the LTI Deep Linking pages show (server/lti/services/deep-linking.ts makes them). */

export interface PickableScenario {
	scenarioId: string;
	title: string;
	criteria: string[];
}

/** The tutor's choice of scenario, opened from the LMS's "add an activity". */
export interface DeepLinkPickerView {
	scenarios: PickableScenario[];
	/** The LMS takes several links at once. */
	acceptMultiple: boolean;
	/** What the LMS said of the place the link goes, when it said. */
	title?: string;
}

/** The page that posts the signed answer back to the LMS. */
export interface DeepLinkReturnForm {
	/** The LMS's deep_link_return_url. */
	action: string;
	/** The signed LtiDeepLinkingResponse. */
	jwt: string;
}
