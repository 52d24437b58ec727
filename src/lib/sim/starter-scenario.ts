/**
 * The scenario a tutor's "New scenario" starts from: a small, complete file that passes every
 * check as it is (so it can be previewed at once) and shows each part of the format with a comment
 * for tutors, as the files in scenarios/ do. The tutor then replaces the story part by part in the
 * form editor, the dialogue page or the YAML.
 */

export const DIFFICULTIES = ['foundation', 'intermediate', 'advanced'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface StarterInput {
	/** A valid scenario id (lower-case words joined by hyphens). */
	scenarioId: string;
	title: string;
	difficulty: Difficulty;
}

/** A YAML double-quoted scalar: JSON's escapes are YAML's, so any title reads back as typed. */
const quote = (value: string) => JSON.stringify(value);

/** The starter scenario's YAML text for this id, title and difficulty. */
export function starterScenario({ scenarioId, title, difficulty }: StarterInput): string {
	return `# For tutors: a starter scenario. A customer rings to check the email address on her account.
# The learner takes security first, never reads details out for the caller to confirm, and may ask
# the team leader for help. Replace the story with your own, part by part: the brief, the customer
# record (seed), the people (personas), the dialogue and the marking points.
# Critical: reading the email address out before the caller has passed security.
# Pass mark 80 %.
id: ${quote(scenarioId)}
title: ${quote(title)}
version: 1.0.0
difficulty: ${difficulty}
passMark: 80
# The criteria the scenario covers: each one is evidenced by a marking point below.
criteria: [PC03, K04, AC03]

# What the learner is told before starting (Markdown).
brief: |
  You are a customer service adviser at **Northdale Energy**, a gas and electricity supplier.
  A customer is on the phone and wants to check the email address on her account.

  Northdale Energy's procedure (extract):

  1. Before discussing an account, the caller must pass security: they answer questions about the
     account. Never read details out for the caller to confirm.
  2. If you are unsure, ask your team leader.

organisation:
  name: Northdale Energy Ltd
  region: england-and-wales

# The records the learner's workspace starts with.
seed:
  retentionRules:
    - code: account-records
      description: Account and billing records, kept for six years after the contract ends.
      periodMonths: 72
      trigger: relationship-ended
      action: erase
      authority: Limitation Act 1980 s5

  purposes:
    - code: energy-supply
      name: Energy supply
      description: Supplying gas and electricity to the customer and billing for it.
      lawfulBasis: contract
      basisDetail: UK GDPR Art 6(1)(b) - needed to perform the supply contract
      fields: [title, givenName, familyName, dateOfBirth, addressLine1, town, postcode, email, tariff, accountStatus]
      requiredFields: [givenName, familyName, addressLine1, postcode]
      retention: account-records

  customers:
    - key: account-holder
      reference: ND-100200
      since: 2022-05-03
      fields:
        identity:
          title: Ms
          givenName: Amira
          familyName: Haddad
          dateOfBirth: "1988-06-14"
        contact:
          addressLine1: 14 Mill Lane
          town: Leeds
          postcode: LS6 2AB
          email: amira.haddad@example.com
        account:
          tariff: Standard variable
          accountStatus: Active

# Who the learner talks to.
personas:
  - key: caller
    name: Amira Haddad
    role: caller (account holder)
    partyType: data-subject
    customer: account-holder
    channel: phone
    description: >-
      The account holder, calling from home. Polite and in a hurry; she answers security questions
      readily.
    knows:
      givenName: Amira
      familyName: Haddad
      dateOfBirth: "1988-06-14"
      postcode: LS6 2AB
      email: amira.haddad@example.com
  - key: team-leader
    name: Sam Okafor
    role: team leader
    partyType: colleague
    channel: internal
    description: The learner's team leader, sitting nearby; helpful and brief.

clock:
  start: 2025-03-11T10:00:00+00:00
  dialogueStep: 1 minute
  coreAction: 1 minute

# The dialogue events the choices put in the log, for marking.
events:
  - name: asked.security.questions
    description: Asked the caller security questions before discussing the account.
  - name: read.out.email
    description: Read the email address on the account out for the caller to confirm.
  - name: asked.team.leader
    description: Asked the team leader for help.
  - name: confirmed.email
    description: Confirmed the email address once the caller had given it.

dialogue:
  start: opening
  nodes:
    - id: opening
      speaker: caller
      text: >-
        Hello, it's Amira Haddad. I just want to check which email address you have for me; my
        account number is ND-100200.
      choices:
        - id: ask-security
          label: "“Of course. First I need to take you through security: your full name, date of birth and postcode, please.”"
          event: asked.security.questions
          goto: gives-answers
          quality: best
          point: security-first
          comment: Takes security before discussing the account.
        - id: read-email-out
          label: "“Let me check: is it still amira.haddad@example.com?”"
          event: read.out.email
          goto: caller-surprised
          quality: critical
          point: nothing-read-out
          comment: Reads a detail out to a caller who has not passed security.

    - id: caller-surprised
      speaker: caller
      text: Yes, that's it. You didn't ask who I was, though.
      choices:
        - id: apologise
          label: "“You're right, I should have. Can you tell me your full name, date of birth and postcode, please?”"
          event: asked.security.questions
          goto: gives-answers

    - id: gives-answers
      speaker: caller
      text: Amira Haddad, fourteenth of June 1988, LS6 2AB. The email is amira.haddad@example.com, isn't it?
      choices:
        - id: confirm-email
          label: "“Thank you. Yes, that's the address on your account.”"
          event: confirmed.email
          goto: goodbye
        - id: ask-team-leader
          label: (To the team leader) “Can I confirm an email address once the caller has passed security?”
          event: asked.team.leader
          goto: team-leader-answers

    - id: team-leader-answers
      speaker: team-leader
      text: Yes. She has passed security and gave the address herself, so you can confirm it.
      choices:
        - id: confirm-after-help
          label: "“Thank you, Ms Haddad. Yes, that's the address on your account.”"
          event: confirmed.email
          goto: goodbye

    - id: goodbye
      speaker: caller
      text: Great, thanks for your help. Bye!
      end: true

# What a good attempt does: each point's weight is its share of the score.
marking:
  - id: security-first
    description: Took security before discussing the account.
    criteria: [PC03, AC03]
    weight: 2
    rule:
      exists: { event: asked.security.questions }
    feedback:
      met: You took the caller through security before discussing her account.
      notMet: You did not take the caller through security. Ask security questions before discussing an account.

  - id: nothing-read-out
    description: Did not read details out for the caller to confirm.
    criteria: [K04]
    weight: 3
    critical: true
    rule:
      absent: { event: read.out.email }
    feedback:
      rule: "UK GDPR Art 5(1)(f): confidentiality"
      met: You let the caller give her details and read nothing out.
      notMet: You read the email address out before the caller had passed security. Anyone could have been calling.
      instead: Ask the caller to give the details; confirm only what she has said, once she has passed security.

  - id: email-confirmed
    description: Confirmed the email address the caller gave.
    criteria: [AC03]
    weight: 1
    rule:
      exists: { event: confirmed.email }
    feedback:
      met: You confirmed the address she gave, which is what she rang for.
      notMet: You did not confirm her email address, which is what she rang for.
`;
}
