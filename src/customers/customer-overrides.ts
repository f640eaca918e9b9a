import { and, asc, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CustomerOverrides } from '../collections/snapshot.js';
import type { Database, Writer } from '../db/client.js';
import { activityLog, customerContacts, customers } from '../db/schema/index.js';
import { policySchema, segments } from '../domain/policy.js';
import { withdrawWaitingReminders } from '../organisations/sending.js';

/** At most this many escalation contacts per customer: senior people, not a mailing list. */
export const maxEscalationContacts = 5;
/** At most this many addresses a person chooses for a customer's reminders. */
export const maxRecipients = 5;

/** The organisation's step schema: a customer's own schedule obeys the same rules. */
const stepsSchema = policySchema.shape.steps;

const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Indexes of the entries whose `field` repeats an earlier entry's (after `normalise`); any input. */
function repeats(list: unknown, field: string, normalise = (value: string) => value): number[] {
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const found: number[] = [];
  for (const [index, entry] of list.entries()) {
    const value: unknown =
      entry && typeof entry === 'object' ? (entry as Record<string, unknown>)[field] : null;
    if (typeof value !== 'string') continue;
    if (seen.has(normalise(value))) found.push(index);
    seen.add(normalise(value));
  }
  return found;
}

/**
 * A person's choices for one customer. `segment` and `steps` null (or absent) mean "as the
 * organisation's policy decides"; `steps` replaces the organisation's schedule for this customer.
 */
export const customerOverridesSchema = z
  .strictObject({
    excluded: z.boolean().optional(),
    doNotContact: z.boolean().optional(),
    pausedUntil: z.iso.date('must be a date written as YYYY-MM-DD').nullable().optional(),
    segment: z.enum(segments).nullable().optional(),
    steps: stepsSchema.nullable().optional(),
    recipients: z
      .array(z.string().trim().toLowerCase().pipe(z.email('not a valid email address').max(254)))
      .max(maxRecipients, `at most ${maxRecipients} addresses`)
      .nullable()
      .optional(),
  })
  .superRefine((overrides, ctx) => {
    for (const index of repeats(overrides.steps, 'key'))
      ctx.addIssue({ code: 'custom', path: ['steps', index, 'key'], message: 'appears twice' });
    const seen = new Set<string>();
    for (const [index, email] of (overrides.recipients ?? []).entries()) {
      if (seen.has(email))
        ctx.addIssue({ code: 'custom', path: ['recipients', index], message: 'appears twice' });
      seen.add(email);
    }
  });

const escalationContactSchema = z.strictObject({
  name: z.string().trim().max(120).nullable().optional(),
  email: z.string().trim().toLowerCase().pipe(z.email('not a valid email address').max(254)),
});

export const escalationContactsSchema = z.array(escalationContactSchema).superRefine(
  (contacts, ctx) => {
    if (contacts.length > maxEscalationContacts)
      ctx.addIssue({ code: 'custom', message: `at most ${maxEscalationContacts} escalation contacts` });
    for (const index of repeats(contacts, 'email', normaliseEmail))
      ctx.addIssue({ code: 'custom', path: [index, 'email'], message: 'appears twice' });
  },
  // The count is known even when some contact is malformed: say so beside the other problems.
  { when: () => true },
);

/**
 * Every problem of a request, each with its field. Zod skips refinements after a malformed value,
 * so the repeats are also looked for in the raw input, to list them in the same answer.
 */
function problemsOf(
  request: { overrides: unknown; escalationContacts: unknown },
  error: z.ZodError,
): string[] {
  const problems = new Set(
    error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`),
  );
  const steps =
    request.overrides && typeof request.overrides === 'object'
      ? (request.overrides as Record<string, unknown>)['steps']
      : null;
  for (const index of repeats(steps, 'key')) problems.add(`overrides.steps.${index}.key: appears twice`);
  for (const index of repeats(request.escalationContacts, 'email', normaliseEmail))
    problems.add(`escalationContacts.${index}.email: appears twice`);
  return [...problems];
}

const requestSchema = z.object({
  overrides: customerOverridesSchema,
  escalationContacts: escalationContactsSchema,
});

export interface EscalationContact {
  name: string | null;
  email: string;
  /** A message to it bounced: it is not copied until the address is fixed. */
  bounced: boolean;
}

export interface CustomerOverridesView {
  customerId: string;
  name: string;
  overrides: CustomerOverrides;
  /** The escalation contacts a person added (those from the ledger are kept in sync with it). */
  escalationContacts: EscalationContact[];
}

export type SaveCustomerOverridesResult =
  | ({ ok: true } & CustomerOverridesView)
  | { ok: false; reason: 'invalid' | 'not_found'; problems: string[] };

const notFound: SaveCustomerOverridesResult = {
  ok: false,
  reason: 'not_found',
  problems: ['customerId: no such customer'],
};

/** Only what differs from the organisation's policy is stored: no false flags, no null fields. */
function stored(overrides: z.infer<typeof customerOverridesSchema>): CustomerOverrides {
  return {
    ...(overrides.excluded ? { excluded: true } : {}),
    ...(overrides.doNotContact ? { doNotContact: true } : {}),
    ...(overrides.pausedUntil ? { pausedUntil: overrides.pausedUntil } : {}),
    ...(overrides.segment ? { segment: overrides.segment } : {}),
    ...(overrides.steps ? { steps: overrides.steps } : {}),
    ...(overrides.recipients && overrides.recipients.length > 0 ? { recipients: overrides.recipients } : {}),
  };
}

function describe(overrides: CustomerOverrides, contacts: number): string {
  const parts = [
    overrides.excluded ? 'excluded from automatic chasing' : null,
    overrides.doNotContact ? 'do not contact' : null,
    overrides.pausedUntil ? `paused until ${overrides.pausedUntil}` : null,
    overrides.recipients ? `reminders to ${overrides.recipients.join(', ')}` : null,
    overrides.segment ? `segment set to ${overrides.segment}` : null,
    overrides.steps ? `own schedule of ${overrides.steps.length} step(s)` : null,
    contacts > 0 ? `${contacts} escalation contact(s)` : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? parts.join('; ') : "the organisation's policy, no escalation contacts";
}

const manualEscalation = (orgId: string, customerId: string) =>
  and(
    eq(customerContacts.orgId, orgId),
    eq(customerContacts.customerId, customerId),
    eq(customerContacts.role, 'escalation'),
    eq(customerContacts.source, 'manual'),
  );

async function escalationContactsOf(db: Writer, orgId: string, customerId: string) {
  const rows = await db
    .select({
      name: customerContacts.name,
      email: customerContacts.email,
      bouncedAt: customerContacts.bouncedAt,
    })
    .from(customerContacts)
    .where(manualEscalation(orgId, customerId))
    .orderBy(asc(customerContacts.createdAt), asc(customerContacts.email));
  return rows.flatMap((row) =>
    row.email ? [{ name: row.name, email: row.email, bounced: row.bouncedAt !== null }] : [],
  );
}

/**
 * The addresses a person chose for reminders, kept as the customer's manual billing contacts, so a
 * bounce or a spam report on one is recorded as for any other address; those chosen before and no
 * longer go.
 */
async function keepChosenRecipients(
  tx: Writer,
  orgId: string,
  customerId: string,
  before: string[],
  emails: string[],
) {
  const dropped = before.filter((email) => !emails.includes(email));
  if (dropped.length > 0)
    await tx
      .delete(customerContacts)
      .where(
        and(
          eq(customerContacts.orgId, orgId),
          eq(customerContacts.customerId, customerId),
          eq(customerContacts.role, 'billing'),
          eq(customerContacts.source, 'manual'),
          inArray(customerContacts.email, dropped),
        ),
      );
  if (emails.length === 0) return;
  await tx
    .insert(customerContacts)
    .values(
      emails.map((email) => ({
        orgId,
        customerId,
        email,
        role: 'billing' as const,
        source: 'manual' as const,
      })),
    )
    .onConflictDoNothing({
      target: [customerContacts.customerId, customerContacts.source, customerContacts.email],
    });
}

/** Whether new choices stop contact that the old allowed, or send it elsewhere. */
function stopsOrRedirects(before: CustomerOverrides, after: CustomerOverrides): boolean {
  const stops = (overrides: CustomerOverrides) =>
    Boolean(overrides.excluded || overrides.doNotContact || overrides.pausedUntil);
  const sameRecipients = (before.recipients ?? []).join(',') === (after.recipients ?? []).join(',');
  return (stops(after) && (!stops(before) || before.pausedUntil !== after.pausedUntil)) || !sameRecipients;
}

const isUuid = (value: string) => z.uuid().safeParse(value).success;

/** A customer's overrides and manual escalation contacts; null when the customer is not the organisation's. */
export async function customerOverridesOf(
  db: Writer,
  orgId: string,
  customerId: string,
): Promise<CustomerOverridesView | null> {
  if (!isUuid(customerId)) return null;
  const [customer] = await db
    .select({ name: customers.name, overrides: customers.collectionOverrides })
    .from(customers)
    .where(and(eq(customers.orgId, orgId), eq(customers.id, customerId)));
  if (!customer) return null;
  const parsed = customerOverridesSchema.safeParse(customer.overrides);
  return {
    customerId,
    name: customer.name,
    overrides: parsed.success ? stored(parsed.data) : (customer.overrides as CustomerOverrides),
    escalationContacts: await escalationContactsOf(db, orgId, customerId),
  };
}

/**
 * Saves a person's choices for one customer: the overrides, and the escalation contacts that replace
 * the ones added by hand before (an address kept keeps its bounce). Every problem is reported, each
 * with its field ("overrides.steps.1.offsetDays: …"), and then nothing is saved. One transaction,
 * with an activity-log entry.
 */
export async function saveCustomerOverrides(
  db: Database,
  request: {
    orgId: string;
    customerId: string;
    overrides: unknown;
    escalationContacts: unknown;
    actor: string;
  },
): Promise<SaveCustomerOverridesResult> {
  const input = { overrides: request.overrides, escalationContacts: request.escalationContacts };
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(input, parsed.error) };
  if (!isUuid(request.customerId)) return notFound;
  const { orgId, customerId, actor } = request;
  const overrides = stored(parsed.data.overrides);
  const contacts = parsed.data.escalationContacts;
  const emails = contacts.map((contact) => contact.email);

  return db.transaction(async (tx): Promise<SaveCustomerOverridesResult> => {
    const [customer] = await tx
      .select({ name: customers.name, overrides: customers.collectionOverrides })
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.id, customerId)))
      .for('update');
    if (!customer) return notFound;
    // An address a person added in another role would collide with the (customer, source, email) key.
    const taken =
      emails.length === 0
        ? []
        : await tx
            .select({ email: customerContacts.email, role: customerContacts.role })
            .from(customerContacts)
            .where(
              and(
                eq(customerContacts.orgId, orgId),
                eq(customerContacts.customerId, customerId),
                eq(customerContacts.source, 'manual'),
                ne(customerContacts.role, 'escalation'),
                inArray(customerContacts.email, emails),
              ),
            );
    if (taken.length > 0) {
      return {
        ok: false,
        reason: 'invalid',
        problems: taken.map(
          (row) =>
            `escalationContacts.${emails.indexOf(row.email ?? '')}.email: already a ${row.role} contact of this customer`,
        ),
      };
    }

    await tx
      .update(customers)
      .set({ collectionOverrides: { ...overrides } })
      .where(and(eq(customers.orgId, orgId), eq(customers.id, customerId)));
    await tx
      .delete(customerContacts)
      .where(
        and(
          manualEscalation(orgId, customerId),
          emails.length > 0 ? notInArray(customerContacts.email, emails) : undefined,
        ),
      );
    if (contacts.length > 0) {
      await tx
        .insert(customerContacts)
        .values(
          contacts.map((contact) => ({
            orgId,
            customerId,
            name: contact.name ?? null,
            email: contact.email,
            role: 'escalation' as const,
            source: 'manual' as const,
          })),
        )
        .onConflictDoUpdate({
          target: [customerContacts.customerId, customerContacts.source, customerContacts.email],
          set: { name: sql`excluded.name`, updatedAt: new Date() },
        });
    }
    const before = (customer.overrides ?? {}) as CustomerOverrides;
    await keepChosenRecipients(tx, orgId, customerId, before.recipients ?? [], overrides.recipients ?? []);
    // What waits in the outbox was planned under the old choices: taken back and planned again.
    if (stopsOrRedirects(before, overrides))
      await withdrawWaitingReminders(tx, orgId, new Date(), {
        customerId,
        summary:
          'Not sent: your choices for this customer changed since it was planned; planned again under them',
      });
    await tx.insert(activityLog).values({
      orgId,
      customerId,
      kind: 'customer.overrides_saved',
      actor,
      summary: `Collection settings for ${customer.name} saved: ${describe(overrides, contacts.length)}.`,
      details: { before: customer.overrides, after: overrides, escalationContacts: emails },
    });
    return {
      ok: true,
      customerId,
      name: customer.name,
      overrides,
      escalationContacts: await escalationContactsOf(tx, orgId, customerId),
    };
  });
}
