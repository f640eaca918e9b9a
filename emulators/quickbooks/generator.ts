/**
 * A large company for benchmarks, the same for the same seed: customers with skewed invoice counts, open
 * invoices due between 120 days ago and 45 days ahead (about a tenth partly paid), and paid history.
 */
import { generatorDraws, type NameWords, slugOf } from '../kit/generate.js';
import { isoDate } from './time.js';
import type { CompanySeed, CustomerSeed, GenerateCompanyOptions, InvoiceSeed } from './types.js';

const WORDS: NameWords = {
  first: 'Acme Blue Cedar Delta Ember Falcon Granite Harbor Iris Juniper Kestrel'.split(' '),
  second: 'Bakery Builders Consulting Dental Electric Farms Garage Hotels Logistics'.split(' '),
  suffix: ['LLC', 'Inc', 'Co', 'Ltd', 'Group'],
};

export function generateSeed(options: GenerateCompanyOptions, now: number): CompanySeed {
  const today = isoDate(now);
  const draw = generatorDraws(options.seed ?? 1, today);
  const { random } = draw;
  const realmId = options.realmId ?? `9341${String(Math.floor(random() * 1e12)).padStart(12, '0')}`;

  const customers: CustomerSeed[] = [];
  for (let i = 1; i <= options.customers; i += 1) {
    const name = draw.businessName(WORDS, i);
    customers.push({
      displayName: name,
      companyName: name,
      email: random() < 0.92 ? `ap@${slugOf(name)}.example` : null,
      // Derived from the index, not drawn, so the rest of the company stays the same for a seed.
      ...(i % 7 === 0
        ? {}
        : {
            billAddr: {
              line1: `${100 + i} Main St.`,
              city: 'Springfield',
              countrySubDivisionCode: 'IL',
              postalCode: String(62_700 + (i % 100)),
            },
          }),
    });
  }
  const customerFor = () => String(1 + draw.skewedIndex(options.customers));

  const invoices: InvoiceSeed[] = [];
  const withOpen = new Set<string>();
  for (let i = 0; i < options.openInvoices; i += 1) {
    const customerId = customerFor();
    withOpen.add(customerId);
    const total = draw.amount();
    const dueDate = draw.openDueDate();
    const partly = random() < 0.1;
    invoices.push({
      customerId,
      total,
      balance: partly ? Math.max(1, Math.round(total * (0.2 + random() * 0.6))) : total,
      dueDate,
      status: partly ? 'partial' : dueDate < today ? 'overdue' : 'open',
      ...(random() < 0.05 ? { billEmail: null } : {}),
    });
  }
  for (let i = 0; i < (options.paidInvoices ?? 0); i += 1) {
    invoices.push({
      customerId: customerFor(),
      total: draw.amount(),
      dueDate: draw.paidDueDate(),
      status: 'paid',
    });
  }
  // QuickBooks will not make a customer with an open balance inactive, so only idle ones are.
  customers.forEach((customer, index) => {
    if (!withOpen.has(String(index + 1)) && random() < 0.3) customer.active = false;
  });
  return {
    realmId,
    name: options.name ?? `Generated Company ${options.seed ?? 1}`,
    homeCurrency: options.homeCurrency ?? 'USD',
    customers,
    invoices,
  };
}
