import { randomUUID } from 'node:crypto';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { policyOf } from '../collections/policy-versions.js';
import { outboundMessages, users } from '../db/schema/index.js';
import { localeOf } from '../domain/locale.js';
import { AppError } from '../errors.js';
import { organisationTemplates } from '../messaging/organisation-templates.js';
import { defaultTemplate, previewEmail, type TemplateName } from '../messaging/templates/index.js';
import type { ServiceContext } from '../services/context.js';
import { organisationOf } from './organisation-of.js';

/** How many test emails an organisation may send in an hour (each goes to the person who asks). */
export const testEmailsPerHour = 3;

/** The outbox template of a test email: a message to the organisation's own people (see sending.ts). */
export const testEmailTemplate = 'test-reminder';

/** The person acting, by their verified sign-in address; only a signed-in person gets a test email. */
async function ownAddress(ctx: ServiceContext): Promise<string> {
  const userId = ctx.actor.kind === 'person' ? ctx.actor.userId : null;
  if (!userId)
    throw new AppError(403, 'forbidden', 'Only a signed-in person can send themselves a test email.');
  const [user] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (!user)
    throw new AppError(403, 'forbidden', 'Only a signed-in person can send themselves a test email.');
  return user.email.toLowerCase();
}

/**
 * "Send me a test email": the first reminder a customer would get after the due date (the
 * organisation's own template, else Dunwell's), made with the sample customer, to the person who asks
 * and nobody else. It works in preview and while paused (it is to the organisation's own people), at
 * most `testEmailsPerHour` times an hour per organisation, counted from the outbox under a lock so
 * two clicks at once cannot both pass (429 past the limit).
 */
export async function sendTestEmail(
  ctx: ServiceContext,
  deps: { deliver?: (messageId: string) => Promise<void> },
): Promise<{ messageId: string; to: string }> {
  const to = await ownAddress(ctx);
  const [profile, policy, templates] = await Promise.all([
    organisationOf(ctx),
    policyOf(ctx.db, ctx.orgId),
    organisationTemplates(ctx.db, ctx.orgId),
  ]);
  const firstReminder = [...policy.steps]
    .filter((step) => step.action === 'email' && step.offsetDays > 0)
    .sort((a, b) => a.offsetDays - b.offsetDays)[0];
  // A reminder's email is its tone's template (see messaging/render/reminder.ts).
  const name: TemplateName = firstReminder?.tone ?? 'neutral';
  const template = templates[name] ?? defaultTemplate(name);
  const email = await previewEmail(template, {
    organisation: {
      name: profile.name,
      email: profile.settings.contactEmail,
      phone: profile.settings.contactPhone,
      locale: localeOf(profile.country),
      paymentInstructions: profile.settings.paymentInstructions,
    },
  });
  const messageId = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`test-email:${ctx.orgId}`}, 0))`);
    const hourAgo = new Date(ctx.now.getTime() - 3_600_000);
    const recent = await tx
      .select({ at: outboundMessages.sendAfter })
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.orgId, ctx.orgId),
          eq(outboundMessages.template, testEmailTemplate),
          gt(outboundMessages.sendAfter, hourAgo),
          lte(outboundMessages.sendAfter, ctx.now),
        ),
      )
      .orderBy(outboundMessages.sendAfter);
    if (recent.length >= testEmailsPerHour) {
      const retryAt =
        (recent[recent.length - testEmailsPerHour]?.at.getTime() ?? ctx.now.getTime()) + 3_600_000;
      const minutes = Math.max(1, Math.ceil((retryAt - ctx.now.getTime()) / 60_000));
      throw new AppError(
        429,
        'test_email_limit',
        `A test email can go ${testEmailsPerHour} times an hour, and ${recent.length} went in the last hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        { retryAfterSeconds: minutes * 60 },
      );
    }
    const [row] = await tx
      .insert(outboundMessages)
      .values({
        orgId: ctx.orgId,
        customerId: null,
        purpose: 'notice',
        idempotencyKey: `${testEmailTemplate}:${randomUUID()}`,
        to: [{ email: to }],
        subject: `Test: ${email.subject}`,
        template: testEmailTemplate,
        bodyHtml: email.html,
        bodyText: `This is a test: what a customer gets when a reminder goes, made with a sample customer. Only you received it.\n\n${email.text}`,
        sendAfter: ctx.now,
      })
      .returning({ id: outboundMessages.id });
    if (!row) throw new Error('the test email was not stored');
    return row.id;
  });
  await deps.deliver?.(messageId);
  return { messageId, to };
}
