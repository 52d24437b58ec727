/**
 * In-app help for tutors who write scenarios: one topic per part of a scenario, in plain words, each
 * with where the editor changes it, the common mistakes and a worked example (a piece of YAML and
 * what it means on the learner's screen).
 *
 * Prose is written in the small Markdown of a brief (paragraphs, lists, **bold**, *emphasis*) plus
 * `code` for the names a tutor types; it is read into blocks and rendered as elements, never as HTML.
 *
 * The examples are pieces of one small scenario ("A customer asks for her balance"): put together
 * they make a complete file that passes every check of `npm run scenarios:check`, and a test holds
 * them to it (sim/help-examples.test.ts), so help never shows an example that would not work.
 */

export const HELP_TOPIC_SLUGS = ['overview', 'brief', 'people', 'customers', 'dialogue', 'choices', 'waiting', 'marking', 'events', 'directory', 'yaml'] as const;
export type HelpTopicSlug = (typeof HELP_TOPIC_SLUGS)[number];

export interface HelpExample {
	/** What the piece shows, before it. */
	intro: string;
	/** The YAML, as it would appear in the scenario file. */
	yaml: string;
	/** What the piece means for the learner, on their screen. */
	onScreen: string;
}

export interface HelpTopic {
	slug: HelpTopicSlug;
	title: string;
	/** One sentence: what the part is for. */
	summary: string;
	/** Paragraphs and lists explaining the part. */
	body: string;
	/** Where the editor changes it: the form's section, the dialogue page or the YAML view. */
	whereToEdit: string;
	mistakes: readonly string[];
	example: HelpExample;
	related: readonly HelpTopicSlug[];
}

export const HELP_TOPICS: readonly HelpTopic[] = [
	{
		slug: 'overview',
		title: 'How a scenario fits together',
		summary: 'A scenario is a practice task: a brief, the people the learner talks to, a customer record to work in, a conversation and the marking points that judge it.',
		body: `A learner plays a scenario from start to end. They read the **brief**, then talk to a **person** (a caller, a colleague, a police officer) by picking what to say, while they work in a real **customer record system** seeded with the records you describe. When they finish, every **marking point** is judged from what they did, and the debrief shows which were met and why.

A scenario is made of these parts, each with a help page of its own:

- the details and the brief: its name, difficulty, the criteria of the unit it covers, and what the learner is told;
- the people: who the learner talks to and what each of them knows;
- the customer record: the customers, purposes and other records the system starts with;
- the dialogue: what is said, the learner's choices, and where the conversation waits for work in the system;
- the events: the things the learner says that marking looks for;
- the marking points: what earns credit, what fails the attempt, and the feedback;
- the directory: the teams and outside bodies the organisation may share data with.

Start from a working scenario: in the **Scenario library**, choose **New scenario** for a small one that already works (a caller, a customer record, a short dialogue and three marking points) and change it in the forms, or duplicate the built-in scenario closest to yours. A draft may have problems while you work; **Save draft** always keeps it. Only a draft without problems can be previewed and published, and publishing makes a new version: attempts already made keep the version they were played on.`,
		whereToEdit: `Every draft has four tabs: **Details and marking** (the form, with the sections "Details", "People", "Customer record" and "Marking points"), **Dialogue** (the conversation as a graph you can select, edit, link and check), **YAML** (the whole file, for those who prefer it) and **Preview** (play it as a learner). All four edit the same draft.`,
		mistakes: [
			'Starting from an empty file: choose **New scenario** or duplicate a built-in scenario instead, so every part already works from the start.',
			'Publishing without previewing: play the draft through once as a good learner and once making the mistake it is about.',
			'A scenario with no trap: a good scenario tempts the learner into the mistakes the unit warns about (disclosing to someone without authority, reading details out, not logging a call).'
		],
		example: {
			intro: 'The top of a scenario file: its id, title, version, difficulty and the criteria of the unit it covers.',
			yaml: `id: balance-enquiry
title: A customer asks for her balance
version: 1.0.0
difficulty: foundation
criteria: [EMP03, EMP10, AC06]`,
			onScreen: 'Learners see "A customer asks for her balance" in their list of scenarios, marked as a foundation scenario, with the criteria it covers.'
		},
		related: ['brief', 'people', 'dialogue', 'marking']
	},
	{
		slug: 'brief',
		title: 'Details and the brief',
		summary: 'The details name the scenario and say what it covers; the brief is what the learner reads before they start.',
		body: `**Details.** The title is what learners see in their list. The id is fixed when the scenario is made (lower-case words joined by hyphens). The version is yours to raise when you change the scenario (for example from 1.0.0 to 1.1.0). The difficulty is foundation, intermediate or advanced. The criteria are the unit's codes the scenario covers: each must be evidenced by at least one marking point.

**The brief** sets the scene: who the learner is, where they work, the time, and the organisation's policy they must follow. Write it as the learner's manager would. It may use paragraphs, bulleted or numbered lists, **bold** (two stars either side) and *emphasis* (one star).

**The clock** is the simulated time the attempt starts at, so deadlines come out the same for every learner. Each reply the learner chooses and each action in the system moves it on (one minute each unless you say otherwise).

The **pass mark** is the score, in per cent, an attempt needs (80 unless you give one), with no critical point missed.`,
		whereToEdit: 'In **Details and marking**, the section "Details": title, version, difficulty, criteria, the brief, the start time and the pass mark.',
		mistakes: [
			'Giving the answer away in the brief: describe the policy, not the steps ("check who may discuss the account", not "refuse her").',
			'Listing a criterion no marking point evidences: the check names it. Add a point, or take the criterion off.',
			'A start time without its offset: write it as 2025-03-07T15:40:00+00:00.'
		],
		example: {
			intro: 'The brief, the organisation the learner works for, and the clock.',
			yaml: `brief: |
  You are a customer service adviser at **Northwind Energy**. It is
  Friday 7 March, 15:40, and a customer calls you.

  Northwind's policy (extract):

  - Discuss an account only with the **account holder**, once they have
    passed security.
  - Log every contact on the customer's account.
organisation:
  name: Northwind Energy Ltd
clock:
  start: 2025-03-07T15:40:00+00:00
passMark: 80`,
			onScreen: 'Before starting, the learner reads the brief with "Northwind Energy" and "account holder" in bold and the policy as a list. The record system shows Friday 7 March 2025, 15:40, and moves on a minute with each reply.'
		},
		related: ['overview', 'marking']
	},
	{
		slug: 'people',
		title: 'People',
		summary: 'The people the learner talks to: who they say they are, who they really are, and what they can answer.',
		body: `Each person (a *persona*) has a name, and the role the learner would give them ("caller", "colleague in Collections"). **Who they really are** is what the system judges by: the account holder, someone authorised to act for them, a third party with no authority, a colleague, the police. What the learner records may differ, and marking can check that it does not.

**What they know** is what they can answer when the learner asks: values of the customer's record (their date of birth, their postcode) under the field's name, or a **fact** of the story that is not in the record, such as the reference of a document they hold. Declare each fact once, with a description; every fact must be known by someone.

The description is for you and the debrief: who they are, what they want and how they behave when refused.`,
		whereToEdit: 'In **Details and marking**, the section "People": add a person, give who they really are and the customer they are about, and what they know.',
		mistakes: [
			'A caller who knows nothing: the learner cannot verify them. Give the account holder the answers to their security questions.',
			'Making a relative "authorised" because they are family: being a spouse or a son gives no authority. Only a recorded authority does (see Customer record).',
			'A fact nobody knows, or a person who knows a field the record does not have: the check names both.'
		],
		example: {
			intro: 'The caller is the account holder herself, and she can answer her security questions and give her meter serial number.',
			yaml: `personas:
  - key: doreen
    name: Doreen Price
    role: caller
    partyType: data-subject
    customer: doreen
    description: >-
      The account holder, calling from home. Polite, a little impatient:
      she wants her balance before she pays a bill.
    knows:
      dateOfBirth: "1958-09-23"
      postcode: LE3 8PT
      meterSerial: E17UK04421`,
			onScreen: 'The conversation shows "Doreen Price (caller)". When the learner verifies her identity in the system, her answers are 23 September 1958 and LE3 8PT, so she passes.'
		},
		related: ['customers', 'yaml', 'dialogue']
	},
	{
		slug: 'customers',
		title: 'Customer record',
		summary: 'What the record system holds when the attempt starts: customers, the purposes their data is used for, and any earlier contacts, consents or authorities.',
		body: `Every attempt gets a record system of its own, seeded from this part. It holds:

- **retention rules**: how long data is kept, and what starts the clock;
- **purposes**: why the organisation holds data, each with one lawful basis, the fields it needs and its retention rule;
- **customers**: an account reference, the date they became a customer, and their values by category (identity, contact, account, financial, preferences);
- and where the story needs them: consents, **authorised third parties** (a signed authority, a lasting power of attorney and its type), past contacts and disclosures, open rights requests, breaches, and the Office of the Public Guardian's register of powers of attorney.

Each record has a **key**, a short name the rest of the scenario uses for it (the person above is about the customer \`doreen\`).

**Authorities.** A relative or friend may act for a customer only with an authority on file: a signed third-party authority, or a lasting power of attorney. An LPA says its type, \`property-and-financial-affairs\` or \`health-and-welfare\`, and the type limits what it covers whatever its scope says: a health and welfare attorney cannot be told the balance. The learner checks an LPA with **Check the OPG register**, which searches the register you give under \`opgRegister\` (reference, donor, attorneys, type, date registered and status: registered, pending, cancelled or revoked). The built-in scenario "lpa-attorney-caller" shows authorities and the register: duplicate it to start from one that works.`,
		whereToEdit: 'In **Details and marking**, the section "Customer record": customers and their values, purposes and retention rules. Authorities, consents, requests and breaches are in the YAML view, under `seed`.',
		mistakes: [
			'Writing a number without quotes (a day of the month, a phone number with no spaces): values of the record are text, so write "1" or "07700900512". Quoting dates too does no harm.',
			'A field under the wrong category (a postcode under identity): the check says which category it belongs to.',
			'A purpose that lists more fields than it needs: the learner is marked on minimising data, so the seed should model it.'
		],
		example: {
			intro: 'One retention rule, one purpose and one customer.',
			yaml: `seed:
  retentionRules:
    - code: billing-records
      description: Billing records, kept six years after the account closes.
      periodMonths: 72
      trigger: relationship-ended
  purposes:
    - code: supply-and-billing
      name: Energy supply and billing
      description: Supplying energy, billing for it and taking payment.
      lawfulBasis: contract
      fields: [givenName, familyName, dateOfBirth, addressLine1, town, postcode, mobilePhone, balance]
      retention: billing-records
  customers:
    - key: doreen
      reference: NWE-3300172
      since: 2016-02-01
      fields:
        identity:
          givenName: Doreen
          familyName: Price
          dateOfBirth: "1958-09-23"
        contact:
          addressLine1: 9 Fosse Road
          town: Leicester
          postcode: LE3 8PT
          mobilePhone: 07700 900512
        financial:
          balance: £41.20 in debit`,
			onScreen: 'Searching for "Price" or NWE-3300172 finds Doreen Price. Her record shows her details by category, and her balance only to a learner who opens the account: the system records every disclosure of it.'
		},
		related: ['people', 'directory', 'marking']
	},
	{
		slug: 'dialogue',
		title: 'Dialogue',
		summary: 'The conversation: a set of nodes, each something said, a fork, or an end, joined by the learner\'s choices.',
		body: `The dialogue starts at one node and moves from node to node. A node is one of:

- **a turn**: a person speaks (or, with no speaker, narration) and the learner picks a choice, or works in the system until something happens there (see Waiting), or both;
- **a branch**: no words; the conversation goes to the first case whose rule holds over what has happened so far, or to "otherwise";
- **an end**: the last line. The learner may still work in the system before they finish. An end marked *early* means the conversation stopped before the task was done (the caller hung up).

Every node must be reachable from the start, and every choice must lead somewhere. The Dialogue page draws the nodes as a graph and flags a node nobody reaches, a choice that leads nowhere and a node with no way on.`,
		whereToEdit: 'On the **Dialogue** page: select a node to edit what is said and who says it, add a node, and link a choice to the node it leads to. The graph shows each node\'s problems beside it.',
		mistakes: [
			'A node no choice leads to: it is never played, and the check refuses it.',
			'Stopping at the first right answer: let the person push back ("but I\'m his wife"), because handling that is what the unit assesses.',
			'Ending the call with no end node: the learner is left with no way on.'
		],
		example: {
			intro: 'Where the conversation starts, and its two last nodes: Doreen thanks the learner, or hangs up.',
			yaml: `dialogue:
  start: opening
  nodes:
    - id: goodbye
      speaker: doreen
      text: That's all I needed, thank you. Bye now.
      end: true
    - id: hangs-up
      speaker: doreen
      text: Oh, forget it. I'll ring back when you've sorted yourselves out.
      end: true
      early: true`,
			onScreen: 'The attempt opens on the node "opening" (see Choices). After "That\'s all I needed" the conversation ends and the learner can finish their work in the system; if she hangs up, points about mistakes not made earn nothing, because the task was not done.'
		},
		related: ['choices', 'waiting', 'events']
	},
	{
		slug: 'choices',
		title: 'Choices',
		summary: 'What the learner can say at a node, where each choice leads, and how good it is.',
		body: `Each choice has the words the learner picks and the node it leads to. A choice may also:

- put an **event** in the log ("asked for security", see Events), which marking looks for;
- **disclose** data: saying it gives fields of the record away, and the system records a disclosure to the person spoken to. Normally the system logs it at once; with "the learner logs it", the learner must record the disclosure themselves, and marking can check they did;
- **set a variable** the scenario remembers (for example that the learner already asked something), which a branch or a marking point can test;
- carry a **quality**: best, acceptable, poor or critical, with the marking point it is judged under and a comment for the debrief. The point earns its weight times the choice's credit (100, 50, 0 and 0 per cent unless you give another). A critical choice misses its point, which must be critical: the call plays on and the attempt fails at the end.`,
		whereToEdit: 'On the **Dialogue** page: select a node, then add or edit its choices, pick the node each leads to, and set its event, quality and marking point.',
		mistakes: [
			'A choice that is obviously wrong: make the tempting mistake sound helpful ("Let me just check: is your postcode LE3 8PT?").',
			'Tagging a quality without a marking point, or a critical choice under a point that is not critical: the check names both.',
			'Reading details out for the caller to confirm as if it were a check: it is a disclosure. Model it with `discloses` and `manner: read-out`.'
		],
		example: {
			intro: 'The opening node: one best choice, one critical one, and a variable the first sets.',
			yaml: `variables:
  - name: asked-security
    initial: false
    description: The learner asked Doreen her security questions.
dialogue:
  nodes:
    - id: opening
      speaker: doreen
      text: Hello, it's Doreen Price. Can you tell me my balance, please?
      choices:
        - id: ask-security
          label: "“Of course. First, can you tell me your date of birth and postcode?”"
          event: asked.security.questions
          set: { asked-security: true }
          goto: verifying
          quality: best
          point: asked-security-questions
          comment: Security first, with open questions she answers herself.
        - id: tell-straight-away
          label: "“Let me look. It's £41.20 in debit.”"
          discloses: { customer: doreen, fields: [balance] }
          goto: hangs-up
          quality: critical
          point: no-disclosure-before-verifying
          comment: The balance goes to a caller nobody has verified.`,
			onScreen: 'The learner sees Doreen\'s question and two buttons with the quoted words. In the debrief\'s timeline, the choice taken shows as "best" or "critical" with its comment.'
		},
		related: ['dialogue', 'events', 'marking', 'waiting']
	},
	{
		slug: 'waiting',
		title: 'Waiting for work in the system',
		summary: 'A node can wait until the learner does something in the record system, then move on by itself.',
		body: `Real calls pause while the adviser works: "bear with me while I bring up your account". A node that **waits for** an event of the record system (identity verified, an authority checked, a disclosure recorded, a call logged) moves on to its **then** node as soon as the learner does it.

While it waits, the conversation shows a neutral line ("Doreen Price is waiting while you work in the system"), or your own **waiting text**. Never name the answer in it: "she is waiting while you verify her identity" tells the learner what to do.

A waiting node may also have choices, for the learner who talks instead of working. The events of the system are named in dotted words, such as \`identity.verified\`; you can narrow one down to a customer (by key) or to details, such as a disclosure that was authorised.`,
		whereToEdit: 'On the **Dialogue** page: select a node and choose what it waits for, the node that follows, and the waiting text.',
		mistakes: [
			'A waiting text that gives the task away ("waiting while you verify her").',
			'Waiting for an event the learner can never cause in this scenario: they are stuck. Preview it.',
			'Waiting for any customer\'s event when two customers are seeded: name the customer, so working on the wrong one does not count.'
		],
		example: {
			intro: 'After the learner asks the questions, the call waits until they verify Doreen in the system.',
			yaml: `dialogue:
  nodes:
    - id: verifying
      speaker: doreen
      text: It's the 23rd of September 1958, and LE3 8PT.
      waitFor: { event: identity.verified, subject: doreen }
      waitingText: Doreen is holding while you work in the system.
      then: verified
    - id: verified
      speaker: doreen
      text: Lovely. So, what do I owe you?
      choices:
        - id: give-balance
          label: "“Thank you, Mrs Price. Your balance is £41.20 in debit.”"
          discloses: { customer: doreen, fields: [balance] }
          goto: goodbye`,
			onScreen: 'Doreen gives her answers and the conversation shows "Doreen is holding while you work in the system" with no choices. Once the learner records her as verified, she asks "So, what do I owe you?" by herself.'
		},
		related: ['dialogue', 'choices', 'events']
	},
	{
		slug: 'marking',
		title: 'Marking points',
		summary: 'What the attempt is judged on: each point has a rule over what the learner did, a weight, and feedback for met and not met.',
		body: `A marking point says one thing a good learner does ("verified the caller before disclosing anything") and the criteria of the unit it evidences. Its **rule** looks at the attempt's log (what the learner did in the system and the events of their choices) and decides met or not met, with the evidence. Rules are built from:

- **exists** (it happened) and **absent** (it never happened);
- **before** (one thing happened before another), **within** (within so many minutes or hours of another), **count** (at least or at most so many times);
- **field equals** (a detail of what happened has a value, such as the caller's party type in the call log);
- **all**, **any** and **not**, to combine rules, and **variable**, for a value the scenario remembers.

Every point has a **weight**, its share of the score. A **critical** point is one a learner must never miss (any unauthorised disclosure): missing it fails the attempt whatever the score.

**Feedback** speaks to the learner. "Not met" starts with one plain sentence saying what they did; add the rule a miss breaks ("UK GDPR Art 5(1)(f): confidentiality") and, for a critical point, what to do instead.`,
		whereToEdit: 'In **Details and marking**, the section "Marking points": description, criteria, weight, critical, the rule and the feedback.',
		mistakes: [
			'A point only met by luck: "absent" rules are met by doing nothing, so pair them with a point the learner must earn.',
			'A rule that names an event no choice puts in the log, or a misspelt system event: the check refuses it rather than leaving a point nobody can meet.',
			'Feedback that scolds: say what they did, why it matters, and what to do next time.'
		],
		example: {
			intro: 'Three points: a critical one, one earned by a choice, and one earned in the system.',
			yaml: `marking:
  - id: no-disclosure-before-verifying
    description: Disclosed nothing from the account before verifying the caller.
    criteria: [EMP03]
    weight: 4
    critical: true
    rule:
      absent: { event: disclosure.made, where: { authorised: false } }
    feedback:
      met: You told Mrs Price nothing about her account until she was verified.
      notMet: You gave the balance to a caller you had not verified.
      rule: "UK GDPR Art 5(1)(f): integrity and confidentiality"
      instead: Ask her security questions, verify her in the system, then answer.
  - id: asked-security-questions
    description: Asked the caller her security questions.
    criteria: [EMP03]
    weight: 2
    rule:
      exists: { event: asked.security.questions }
    feedback:
      met: You asked open security questions that she answered herself.
      notMet: You did not ask Mrs Price her security questions.
  - id: call-logged
    description: Logged the call on the customer's record.
    criteria: [AC06, EMP10]
    weight: 2
    rule:
      exists: { event: interaction.logged, subject: doreen }
    feedback:
      met: You logged the call, so the next adviser knows what was said.
      notMet: You did not log the call on Mrs Price's record.`,
			onScreen: 'In the debrief, each point is met or not met with its feedback and the moments that prove it. Telling the balance before verifying shows a critical-error card with "UK GDPR Art 5(1)(f)" and what to do instead, and the attempt does not pass.'
		},
		related: ['choices', 'events', 'brief']
	},
	{
		slug: 'events',
		title: 'Events',
		summary: 'The things a learner says that marking needs to see, declared once with words the debrief can show.',
		body: `Everything the learner does in the record system is already in the attempt's log: verifying someone, checking an authority, recording a disclosure, logging a call. What they **say** is not, unless the choice they pick puts an **event** in it.

Declare each event once, with a name in lower-case dotted words (\`asked.security.questions\`) and a description of what the learner did, in words the debrief and the assessor read. Then give the event to the choices that do it, and look for it in marking points and branches.

An event no choice emits, or a choice or rule naming an event nobody declared, is refused by the check: a misspelt name would otherwise make a point nobody can meet.`,
		whereToEdit: 'On the **Dialogue** page: select a choice and pick or add its event. All events are also listed in the YAML view under `events`.',
		mistakes: [
			'Declaring an event for something the system already logs (verifying identity is `identity.verified`): use the system\'s event.',
			'A description that judges ("did the right thing"): say what was done ("asked the caller for her date of birth and postcode").',
			'Names in capitals or with spaces: use lower-case words joined by dots.'
		],
		example: {
			intro: 'The one event this scenario\'s choices emit.',
			yaml: `events:
  - name: asked.security.questions
    description: Asked the caller for her date of birth and postcode.`,
			onScreen: 'When the learner picks "First, can you tell me your date of birth and postcode?", the assessor\'s transcript shows "Asked the caller for her date of birth and postcode" at that minute, and the point "Asked the caller her security questions" is met.'
		},
		related: ['choices', 'marking', 'waiting']
	},
	{
		slug: 'directory',
		title: 'The directory of recipients',
		summary: 'The teams and outside bodies the organisation shares data with, and what each may receive for which purpose.',
		body: `When a learner records a disclosure, they pick the recipient from the organisation's **directory**, never a role they type. Each entry is a team or an outside body, and says, per purpose, the fields it may receive. The system decides from the entry: a disclosure is authorised only when the entry may receive every field for the purpose given, and where there is a directory, nobody outside it is entitled.

A **supervisor** can speak up in the conversation the moment the learner discloses without authority, after the system says what went wrong: give their name and, if you like, their words. By default "Your team leader" names the rules broken and asks for the breach form, which the system has already opened.

The built-in scenario "colleague-requests" uses a directory with several teams, a supervisor and a disclosure the learner must log.`,
		whereToEdit: 'In the **YAML** view, under `organisation`: `directory` and `supervisor`.',
		mistakes: [
			'A team that may receive "everything": list only the fields its purpose needs.',
			'A purpose in an entry that the customer record does not declare: the check names it.',
			'Leaving out the team that should be refused: the trap is a team that sounds entitled and is not (a sales team asking for a phone number).'
		],
		example: {
			intro: 'Field Services may have what it needs to visit; the sales team may have nothing. Sam speaks up after a disclosure without authority.',
			yaml: `organisation:
  directory:
    - code: field-services
      name: Field Services
      kind: team
      receives:
        - purpose: supply-and-billing
          fields: [givenName, familyName, addressLine1, town, postcode, mobilePhone]
    - code: home-services-sales
      name: Home Services sales
      kind: team
  supervisor:
    name: Sam Whitlock`,
			onScreen: 'Recording a disclosure, the learner chooses "Field Services" or "Home Services sales" from a list. Giving Doreen\'s number to the sales team is recorded as unauthorised, a breach is opened, and Sam Whitlock says so at once in the conversation.'
		},
		related: ['customers', 'marking']
	},
	{
		slug: 'yaml',
		title: 'The YAML view',
		summary: 'The whole scenario as one text file, for tutors who prefer to type it, or to paste a scenario in.',
		body: `The forms and the Dialogue page write this file for you. The YAML view shows it all, and anything you change there shows in the forms, because both edit the same draft. It is checked as you type, with exactly the checks of the scenario files in the project: each problem shows where it is ("marking[2].rule.before") and what was expected, and choosing a problem takes you to its line.

A few rules of the format:

- **Indentation is meaning**: two spaces per level, never tabs. A list item starts with a hyphen.
- **Quote values that look like numbers** when they are text: \`directDebitDay: "1"\`. Quoting dates does no harm either: \`dateOfBirth: "1958-09-23"\`.
- **Long text**: after \`>-\` the indented lines are joined into one paragraph; after \`|\` the line breaks are kept (use it for the brief).
- **Comments**: anything after \`#\` is a note for authors; the app ignores it, and the forms keep your comments.
- A value with a colon followed by a space, or starting with a quote mark, needs quotes around it.`,
		whereToEdit: 'The **YAML** tab of the draft. You can also download the draft or any version as a file, and import a file from the Scenario library.',
		mistakes: [
			'Mixing tabs and spaces, or indenting one line by three spaces: the check shows the line.',
			'A number without quotes where text is expected (`directDebitDay: 1`): the check says "expected a string (quote numbers and dates)".',
			'Pasting curly quotes around a value: use straight quotes "like this" for YAML; curly quotes are fine inside the text.'
		],
		example: {
			intro: 'A fact of the story, with a comment and a long description folded into one line.',
			yaml: `# Facts: what a person knows beyond the customer record.
facts:
  - key: meterSerial
    description: >-
      The serial number on Doreen's electricity meter,
      which she reads out if asked.`,
			onScreen: 'Nothing shows by itself: the fact lets Doreen answer "E17UK04421" when the learner asks for her meter\'s serial number (see People).'
		},
		related: ['overview', 'people']
	}
];

const BY_SLUG: ReadonlyMap<string, HelpTopic> = new Map(HELP_TOPICS.map((t) => [t.slug, t]));

/** The topic with this slug, or undefined for any other text. */
export function helpTopic(slug: string): HelpTopic | undefined {
	return BY_SLUG.get(slug);
}

/** The address of a topic's page. */
export const helpHref = (slug: HelpTopicSlug): string => `/author/help/${slug}`;
