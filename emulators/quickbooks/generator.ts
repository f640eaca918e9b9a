/**
 * A large company for benchmarks, the same for the same seed: customers with skewed invoice counts, open
 * invoices due between 120 days ago and 45 days ahead (about a tenth partly paid), and paid history.
 */
import { prng } from '../kit/prng.js';
import { addDays, isoDate } from './time.js';
import type { CompanySeed, CustomerSeed, GenerateCompanyOptions, InvoiceSeed } from './types.js';

const FIRST = [
  'Acme',
  'Blue',
  'Cedar',
  'Delta',
  'Ember',
  'Falcon',
  'Granite',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
];
const SECOND = [
  'Bakery',
  'Builders',
  'Consulting',
  'Dental',
  'Electric',
  'Farms',
  'Garage',
  'Hotels',
  'Logistics',
];
const SUFFIX = ['LLC', 'Inc', 'Co', 'Ltd', 'Group'];

export function generateSeed(options: GenerateCompanyOptions, now: number): CompanySeed {
  const random = prng(options.seed ?? 1);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const today = isoDate(now);
  const realmId = options.realmId ?? `9341${String(Math.floor(random() * 1e12)).padStart(12, '0')}`;

  const customers: CustomerSeed[] = [];
  for (let i = 1; i <= options.customers; i += 1) {
    const name = `${pick(FIRST)} ${pick(SECOND)} ${pick(SUFFIX)} #${i}`;
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    customers.push({
      displayName: name,
      companyName: name,
      email: random() < 0.92 ? `ap@${slug}.example` : null,
    });
  }
  const customerFor = () => String(1 + Math.floor(random() ** 1.6 * options.customers));
  const amount = () => int(50, 5000) * 100 + (random() < 0.5 ? int(0, 99) : 0);

  const invoices: InvoiceSeed[] = [];
  const withOpen = new Set<string>();
  for (let i = 0; i < options.openInvoices; i += 1) {
    const customerId = customerFor();
    withOpen.add(customerId);
    const total = amount();
    const dueDate = addDays(today, int(-120, 45));
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
      total: amount(),
      dueDate: addDays(today, -int(1, 330)),
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
