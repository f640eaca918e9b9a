import { createHash } from 'node:crypto';
import type { DebtorSnapshot } from './snapshot.js';

function digestOf(parts: string[]): string {
  return createHash('sha256').update(parts.join(',')).digest('base64url').slice(0, 16);
}

/**
 * Deterministic (debtor, step, journey, invoice set): planning twice queues one effect. The debtor's
 * id leads: an evaluation goes through debtors in id order, so the outboxes' unique indexes grow at
 * a few places instead of at random ones (which costs far more at scale).
 */
export function keyFor(
  snapshot: DebtorSnapshot,
  stepKey: string,
  journey: string,
  invoiceIds: string[],
): string {
  return `${snapshot.customerId}:${stepKey}:${digestOf([journey, ...[...invoiceIds].sort()])}`;
}

/** One per debtor, step and journey, whatever the invoices: a flag or a task is raised once a journey. */
export const onceKey = (snapshot: DebtorSnapshot, stepKey: string, journey: string) =>
  `${snapshot.customerId}:${stepKey}:j${journey}`;
