/**
 * The monthly statement's names in the outbox and the debtor's history. The step key has an
 * underscore, which a schedule's own step keys (lowercase letters, digits and dashes) cannot: the
 * planner never takes a statement for one of its steps, and counts it only as a contact.
 */
export const monthlyStatementTemplate = 'statement';
export const monthlyStatementStepKey = 'monthly_statement';

/** One per debtor per month (YYYY-MM, the organisation's calendar): the outbox's unique key keeps it once. */
export const monthlyStatementKey = (customerId: string, month: string) =>
  `${customerId}:${monthlyStatementStepKey}:${month}`;
