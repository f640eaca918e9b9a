/**
 * A large organisation for benchmarks and paging tests, the same for the same seed (ids included): contacts with
 * skewed invoice counts, open invoices due between 120 days ago and 45 days ahead (about a tenth partly paid), and
 * paid history.
 */
import { generatorDraws, type NameWords, slugOf } from '../kit/generate.js';
import { isoDate } from './time.js';
import type { ContactSeed, GenerateOrganisationOptions, InvoiceSeed, OrganisationSeed } from './types.js';

const WORDS: NameWords = {
  first: 'Acme Blue Cedar Delta Ember Falcon Granite Harbour Iris Juniper Kauri'.split(' '),
  second: 'Bakery Builders Consulting Dental Electrical Farms Garage Hotels Logistics'.split(' '),
  suffix: ['Ltd', 'Limited', 'Co', 'Group', 'Partners'],
};
const PEOPLE = ['Aroha', 'Ben', 'Chloe', 'Dev', 'Ella', 'Finn', 'Grace', 'Hemi', 'Isla', 'Jack'];

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export function generateSeed(options: GenerateOrganisationOptions, now: number): OrganisationSeed {
  const draw = generatorDraws(options.seed ?? 1, isoDate(now));
  const { random } = draw;
  const tenantId = options.tenantId ?? uuidFrom(random);

  const contacts: ContactSeed[] = [];
  for (let i = 1; i <= options.contacts; i += 1) {
    const name = draw.businessName(WORDS, i);
    const slug = slugOf(name);
    const person = draw.pick(PEOPLE);
    contacts.push({
      id: uuidFrom(random),
      name,
      emailAddress: random() < 0.92 ? `accounts@${slug}.example` : null,
      // Derived from the index, not drawn, so the rest of the organisation stays the same for a seed.
      ...(i % 7 === 0
        ? {}
        : {
            addresses: [
              {
                addressType: 'POBOX' as const,
                addressLine1: `PO Box ${1000 + i}`,
                city: 'Wellington',
                postalCode: String(6011 + (i % 30)),
              },
            ],
          }),
      ...(random() < 0.3
        ? {
            contactPersons: [
              {
                firstName: person,
                lastName: 'Payables',
                emailAddress: `${person.toLowerCase()}@${slug}.example`,
                includeInEmails: random() < 0.5,
              },
            ],
          }
        : {}),
    });
  }
  const contactFor = () => (contacts[draw.skewedIndex(contacts.length)] as ContactSeed).id as string;

  const invoices: InvoiceSeed[] = [];
  const withOpen = new Set<string>();
  for (let i = 0; i < options.openInvoices; i += 1) {
    const contactId = contactFor();
    withOpen.add(contactId);
    const total = draw.amount();
    const partly = random() < 0.1;
    invoices.push({
      id: uuidFrom(random),
      contactId,
      total,
      dueDate: draw.openDueDate(),
      ...(partly ? { amountDue: Math.max(1, Math.round(total * (0.2 + random() * 0.6))) } : {}),
      sentToContact: random() < 0.8,
    });
  }
  for (let i = 0; i < (options.paidInvoices ?? 0); i += 1) {
    invoices.push({
      id: uuidFrom(random),
      contactId: contactFor(),
      total: draw.amount(),
      dueDate: draw.paidDueDate(),
      status: 'PAID',
    });
  }
  for (const contact of contacts) {
    if (!withOpen.has(contact.id as string) && random() < 0.3) contact.contactStatus = 'ARCHIVED';
  }
  return {
    tenantId,
    name: options.name ?? `Generated Organisation ${options.seed ?? 1}`,
    ...(options.baseCurrency !== undefined ? { baseCurrency: options.baseCurrency } : {}),
    user: { email: options.userEmail ?? 'owner@generated.example', firstName: 'Gen', lastName: 'Owner' },
    contacts,
    invoices,
  };
}
