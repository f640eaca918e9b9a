import { localeOf } from '../domain/locale.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { customerChoices, type UnmatchedMessage, unmatchedMessages } from './unmatched-messages.js';

export interface UnmatchedPageData {
  messages: UnmatchedMessage[];
  /** The customers to choose from (narrowed by the search), and whether more match than are offered. */
  choices: { customers: { id: string; name: string }[]; more: boolean };
  search: string;
  timeZone: string;
  locale: string;
}

/** The Unmatched messages page: the organisation's own unmatched emails and texts, and its customers to choose from. */
export async function unmatchedPage(ctx: ServiceContext, search: string): Promise<UnmatchedPageData> {
  const [messages, choices, profile] = await Promise.all([
    unmatchedMessages(ctx),
    customerChoices(ctx, search),
    organisationOf(ctx),
  ]);
  return { messages, choices, search, timeZone: profile.timeZone, locale: localeOf(profile.country) };
}
