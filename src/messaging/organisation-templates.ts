import { and, eq } from 'drizzle-orm';
import type { Database, Writer } from '../db/client.js';
import { activityLog, messageTemplates } from '../db/schema/index.js';
import { type Template, type TemplateName, validateTemplate } from './templates/index.js';

/** Every email a business can edit: the five tones and the two special emails. */
export const editableTemplates: ReadonlyArray<{ name: TemplateName; label: string; usedFor: string }> = [
  { name: 'friendly', label: 'Friendly', usedFor: 'the heads-up before the due date' },
  { name: 'neutral', label: 'Reminder', usedFor: 'the first reminder after the due date' },
  { name: 'firm', label: 'Firm', usedFor: 'firm reminders, with a late-fee notice where set' },
  { name: 'formal', label: 'Formal demand', usedFor: 'the formal demand, copying escalation contacts' },
  { name: 'final', label: 'Final notice', usedFor: 'the final notice before an agency' },
  { name: 'installment', label: 'Installment due', usedFor: 'each payment-plan installment reminder' },
  { name: 'settlement', label: 'Settlement offer', usedFor: 'an approved offer to settle for less' },
];

export function isEditableTemplate(name: string): name is TemplateName {
  return editableTemplates.some((entry) => entry.name === name);
}

/** The organisation's own templates; a name without one uses Dunwell's default. */
export async function organisationTemplates(
  db: Writer,
  orgId: string,
): Promise<Partial<Record<TemplateName, Template>>> {
  const rows = await db.select().from(messageTemplates).where(eq(messageTemplates.orgId, orgId));
  const templates: Partial<Record<TemplateName, Template>> = {};
  for (const row of rows)
    if (isEditableTemplate(row.name)) templates[row.name] = { subject: row.subject, text: row.text };
  return templates;
}

/**
 * The HTML body an organisation wrote for one email before templates had one body, when it has one.
 * It is no longer sent (the body, `text`, makes both emails); the editor shows it, so wording that was
 * only in it can be moved into the body, until the template is next saved.
 */
export async function legacyHtmlOf(db: Writer, orgId: string, name: TemplateName): Promise<string | null> {
  const [row] = await db
    .select({ html: messageTemplates.html })
    .from(messageTemplates)
    .where(and(eq(messageTemplates.orgId, orgId), eq(messageTemplates.name, name)));
  return row && row.html.trim() !== '' ? row.html : null;
}

/** Saves the organisation's version of one email, when it is valid; otherwise every problem and nothing saved. */
export async function saveOrganisationTemplate(
  db: Database,
  request: { orgId: string; name: TemplateName; template: Template; actor: string },
): Promise<{ ok: true } | { ok: false; problems: string[] }> {
  const checked = await validateTemplate(request.template);
  if (!checked.ok) return checked;
  await db.transaction(async (tx) => {
    await tx
      .insert(messageTemplates)
      .values({
        orgId: request.orgId,
        name: request.name,
        subject: request.template.subject,
        text: request.template.text,
        // Derived, so not stored: see `legacyHtmlOf`.
        html: '',
        updatedBy: request.actor,
      })
      .onConflictDoUpdate({
        target: [messageTemplates.orgId, messageTemplates.name],
        set: {
          subject: request.template.subject,
          text: request.template.text,
          html: '',
          updatedBy: request.actor,
          updatedAt: new Date(),
        },
      });
    await tx.insert(activityLog).values({
      orgId: request.orgId,
      kind: 'template.saved',
      actor: request.actor,
      summary: `The ${request.name} email template was changed.`,
      details: { name: request.name },
    });
  });
  return { ok: true };
}

/** Goes back to Dunwell's default for one email. */
export async function resetOrganisationTemplate(
  db: Database,
  request: { orgId: string; name: TemplateName; actor: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(messageTemplates)
      .where(and(eq(messageTemplates.orgId, request.orgId), eq(messageTemplates.name, request.name)))
      .returning({ name: messageTemplates.name });
    if (removed.length > 0)
      await tx.insert(activityLog).values({
        orgId: request.orgId,
        kind: 'template.reset',
        actor: request.actor,
        summary: `The ${request.name} email template was reset to the default.`,
        details: { name: request.name },
      });
  });
}
