// npm run bench:engine — the pure planner's throughput on one core over a realistic mix of debtors.
import { prng as random } from '../emulators/kit/prng.js';
import { plan } from '../src/collections/plan.js';
import type { DebtorSnapshot } from '../src/collections/snapshot.js';
import { defaultPolicy } from '../src/domain/policy.js';

const now = new Date('2026-11-24T10:00:00Z');
const isoDay = (offset: number) => new Date(Date.UTC(2026, 10, 24 + offset)).toISOString().slice(0, 10);
const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Pacific/Auckland'];

function makeDebtors(count: number, invoicesPerDebtor: number): DebtorSnapshot[] {
  const next = random(42);
  return Array.from({ length: count }, (_, index) => {
    const invoices = Array.from({ length: invoicesPerDebtor }, (_, n) => ({
      id: `i${index}-${n}`,
      number: `INV-${index}-${n}`,
      currency: 'GBP',
      balanceMinor: Math.floor(next() * 500_000) + 100,
      totalMinor: 500_000,
      dueDate: isoDay(Math.floor(next() * 160) - 130),
      status: next() < 0.1 ? ('paid' as const) : ('open' as const),
    }));
    const contacted = next() < 0.6;
    return {
      orgId: 'org',
      customerId: `c${index}`,
      customerName: `Customer ${index}`,
      orgTimeZone: zones[index % zones.length] ?? 'UTC',
      debtorTimeZone: null,
      orgCurrency: 'GBP',
      invoices,
      contacts: [{ email: `ap${index}@example.com`, name: null, role: 'billing' as const, bounced: false }],
      history: {
        contacts: contacted
          ? [
              {
                at: `${isoDay(-Math.floor(next() * 20))}T10:00:00Z`,
                kind: 'email' as const,
                steps: invoices.map((invoice) => ({ invoiceId: invoice.id, stepKey: 'reminder' })),
              },
            ]
          : [],
        paidInvoices: Array.from({ length: 4 }, (_, n) => ({
          dueDate: isoDay(-200 + n * 40),
          paidOn: isoDay(-200 + n * 40 + Math.floor(next() * 40)),
          partPayments: 1,
        })),
        payments: [{ paidOn: isoDay(-30) }],
        promises: [],
        plan: null,
        disputes: [],
        lastResponseAt: null,
        optedOut: false,
        lifetimePaidMinor: Math.floor(next() * 10_000_000),
        firstInvoiceDate: isoDay(-400),
      },
      overrides: {},
    };
  });
}

const debtors = makeDebtors(40_000, 5);
const invoices = debtors.reduce((sum, debtor) => sum + debtor.invoices.length, 0);
for (const debtor of debtors.slice(0, 5_000)) plan(debtor, defaultPolicy, now); // warm up
// Several passes, reported by the median: one pass of half a second is at the mercy of a collection
// or of another process taking the core.
const passes: Array<{ seconds: number; actions: number }> = [];
for (let pass = 0; pass < 5; pass++) {
  let actions = 0;
  const started = performance.now();
  for (const debtor of debtors) actions += plan(debtor, defaultPolicy, now).actions.length;
  passes.push({ seconds: (performance.now() - started) / 1000, actions });
}
const bySpeed = [...passes].sort((a, b) => a.seconds - b.seconds);
const median = bySpeed[Math.floor(bySpeed.length / 2)] ?? { seconds: Number.NaN, actions: 0 };
console.log(
  JSON.stringify({
    bench: 'plan',
    invoices,
    debtors: debtors.length,
    actions: median.actions,
    seconds: Number(median.seconds.toFixed(3)),
    invoices_per_s: Math.round(invoices / median.seconds),
    passes_invoices_per_s: passes.map((pass) => Math.round(invoices / pass.seconds)),
  }),
);
