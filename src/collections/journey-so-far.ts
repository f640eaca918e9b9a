import { type ContactTaskKind, contactTaskKinds, type Step } from '../domain/policy.js';
import { rungOfContact } from './journey.js';
import type { DebtorSnapshot } from './snapshot.js';

/** What the journey has done so far, and what every contact says about the cap. */
export interface JourneySoFar {
  /** The highest rung contacted in this journey; -1 before its first contact. */
  rung: number;
  /** The last contact of the journey on the ladder (ISO), '' when none. */
  lastJourneyContact: string;
  /** When the final rung first went in this journey, or null. */
  finalSentAt: string | null;
  /**
   * The last contact that reached the debtor, in any journey and on any channel (an email sent, a
   * call made, a letter posted; ISO), '' when none: what the contact cap counts from.
   */
  lastSent: string;
  /** An email is waiting for approval or to be sent, or a call or letter for a person to make. */
  waiting: boolean;
  /** The call or letter waiting for a person, when that is what waits. */
  waitingTask: ContactTaskKind | null;
  /** A flag is waiting for a person's decision. */
  openFlag: boolean;
  /** The step keys of the tasks still open. */
  openTasks: Set<string>;
  /** The step keys taken in this journey. */
  doneInJourney: Set<string>;
  /** The invoices a heads-up (an email before the due date) went for. */
  headsUpDone: Set<string>;
  /**
   * The journey's last rung went by email while its reader was away (an out-of-office reply) and has
   * gone only once: it is sent again, once, from the day they are back, before the ladder goes on.
   */
  missedRung: { rung: number; backOn: string } | null;
}

export function journeySoFar(
  history: DebtorSnapshot['history'],
  journeyFrom: string | null,
  ladder: Step[],
  indexes: Map<string, number>,
  headsUpKeys: Set<string>,
): JourneySoFar {
  const soFar: JourneySoFar = {
    rung: -1,
    lastJourneyContact: '',
    finalSentAt: null,
    lastSent: '',
    waiting: false,
    waitingTask: null,
    openFlag: false,
    openTasks: new Set(),
    doneInJourney: new Set(),
    headsUpDone: new Set(),
    missedRung: null,
  };
  const rungCounts = new Map<number, number>();
  let lastOnLadder: { rung: number; awayUntil: string | undefined } | null = null;
  const lastRung = ladder.length - 1;
  for (const contact of history.contacts) {
    if (contact.kind === 'email') {
      if (contact.unsent) soFar.waiting = true;
      else if (contact.at > soFar.lastSent) soFar.lastSent = contact.at;
      for (const entry of contact.steps)
        if (headsUpKeys.has(entry.stepKey)) soFar.headsUpDone.add(entry.invoiceId);
    } else if (contactTaskKinds.has(contact.kind)) {
      if (contact.open) {
        soFar.waiting = true;
        soFar.waitingTask = contact.kind as ContactTaskKind;
      } else if (!contact.dismissed && contact.at > soFar.lastSent) soFar.lastSent = contact.at;
    } else if (contact.open) {
      const key = contact.steps[0]?.stepKey;
      if (contact.kind === 'flag') soFar.openFlag = true;
      else if (key !== undefined) soFar.openTasks.add(key);
    }
    if (journeyFrom === null || contact.at < journeyFrom) continue;
    for (const entry of contact.steps) soFar.doneInJourney.add(entry.stepKey);
    if (contact.kind !== 'email' && !contactTaskKinds.has(contact.kind)) continue;
    const contactRung = rungOfContact(contact, indexes);
    if (contactRung < 0) continue;
    if (contactRung > soFar.rung) soFar.rung = contactRung;
    rungCounts.set(contactRung, (rungCounts.get(contactRung) ?? 0) + 1);
    if (contact.at > soFar.lastJourneyContact) {
      soFar.lastJourneyContact = contact.at;
      lastOnLadder = { rung: contactRung, awayUntil: contact.awayUntil };
    }
    if (
      contactRung === lastRung &&
      !contact.unsent &&
      !contact.open &&
      !contact.dismissed &&
      (soFar.finalSentAt === null || contact.at < soFar.finalSentAt)
    )
      soFar.finalSentAt = contact.at;
  }
  if (lastOnLadder?.awayUntil && lastOnLadder.rung === soFar.rung && rungCounts.get(soFar.rung) === 1)
    soFar.missedRung = { rung: soFar.rung, backOn: lastOnLadder.awayUntil };
  return soFar;
}
