/** The small demo company the standalone emulator starts with: every invoice state a collections app meets. */
import { addDays, isoDate } from './time.js';
import type { CompanySeed } from './types.js';

export function demoCompanySeed(now: number): CompanySeed {
  const today = isoDate(now);
  const day = (offset: number) => addDays(today, offset);
  return {
    realmId: '9341453050298757',
    name: 'Dunwell Demo Landscaping',
    homeCurrency: 'USD',
    country: 'US',
    region: 'CA',
    user: { email: 'owner@demo-landscaping.example', givenName: 'Dana', familyName: 'Demo' },
    customers: [
      {
        id: '1',
        displayName: "Amy's Bird Sanctuary",
        email: 'birds@intuit.example',
        billAddr: {
          line1: '4581 Finch St.',
          city: 'Bayshore',
          countrySubDivisionCode: 'CA',
          postalCode: '94326',
        },
      },
      {
        id: '2',
        displayName: 'Bill’s Windsurf Shop',
        email: 'surf@intuit.example',
        billAddr: {
          line1: '12 Ocean Dr.',
          city: 'Half Moon Bay',
          countrySubDivisionCode: 'CA',
          postalCode: '94213',
        },
      },
      {
        id: '3',
        displayName: 'Cool Cars',
        email: 'cool_cars@intuit.example',
        billAddr: {
          line1: 'Accounts Payable',
          line2: '65 Ocean Dr.',
          city: 'Half Moon Bay',
          countrySubDivisionCode: 'CA',
          postalCode: '94213',
          country: 'USA',
        },
      },
      // No address in the books: a letter to Diego shows where to write one.
      { id: '4', displayName: 'Diego Rodriguez', email: null },
      {
        id: '5',
        displayName: 'Freeman Sporting Goods',
        email: 'sporting@intuit.example',
        billAddr: {
          line1: '370 Easy St.',
          city: 'Middlefield',
          countrySubDivisionCode: 'CA',
          postalCode: '94482',
        },
      },
      {
        id: '6',
        displayName: 'Geeta Kalapatapu',
        email: 'geeta@intuit.example',
        billAddr: {
          line1: '1987 Main St.',
          city: 'Middlefield',
          countrySubDivisionCode: 'CA',
          postalCode: '94303',
        },
      },
      {
        id: '7',
        displayName: 'Maple Leaf Outfitters',
        email: 'ap@mapleleaf.example',
        currency: 'CAD',
        billAddr: {
          line1: '500 Harbor Blvd.',
          city: 'Bellevue',
          countrySubDivisionCode: 'WA',
          postalCode: '98004',
        },
      },
      {
        id: '8',
        displayName: 'Old Orchard (closed)',
        email: 'orchard@intuit.example',
        active: false,
        billAddr: {
          line1: '44 Orchard Rd.',
          city: 'Sonoma',
          countrySubDivisionCode: 'CA',
          postalCode: '95476',
        },
      },
    ],
    invoices: [
      { id: '101', customerId: '1', total: 10850, dueDate: day(12), status: 'open' },
      { id: '102', customerId: '1', total: 23900, dueDate: day(-9), status: 'overdue' },
      { id: '103', customerId: '2', total: 8500, dueDate: day(-42), status: 'overdue' },
      {
        id: '104',
        customerId: '2',
        total: 45000,
        dueDate: day(-75),
        status: 'overdue',
        privateNote: 'Promised by phone',
      },
      { id: '105', customerId: '3', total: 69400, dueDate: day(-3), status: 'partial', balance: 19400 },
      { id: '106', customerId: '3', total: 12000, dueDate: day(20), status: 'open' },
      { id: '107', customerId: '4', total: 15625, dueDate: day(-15), status: 'overdue' },
      { id: '108', customerId: '5', total: 120050, dueDate: day(-31), status: 'overdue' },
      { id: '109', customerId: '5', total: 30000, dueDate: day(5), status: 'open' },
      { id: '110', customerId: '6', total: 7525, dueDate: day(-1), status: 'overdue' },
      { id: '111', customerId: '7', total: 54000, dueDate: day(-18), status: 'overdue' },
      { id: '112', customerId: '7', total: 21000, dueDate: day(25), status: 'open' },
      { id: '113', customerId: '1', total: 5000, dueDate: day(-60), status: 'paid' },
      { id: '114', customerId: '2', total: 17500, dueDate: day(-50), status: 'paid' },
      { id: '115', customerId: '3', total: 33300, dueDate: day(-40), status: 'paid' },
      { id: '116', customerId: '5', total: 80000, dueDate: day(-35), status: 'paid' },
      { id: '117', customerId: '6', total: 9900, dueDate: day(-20), status: 'paid' },
      { id: '118', customerId: '8', total: 14000, dueDate: day(-90), status: 'paid' },
      { id: '119', customerId: '4', total: 26000, dueDate: day(-5), status: 'voided' },
      {
        id: '120',
        customerId: '6',
        total: 41000,
        dueDate: day(40),
        status: 'open',
        billEmail: 'billing@geeta.example',
      },
    ],
    payments: [
      {
        id: '201',
        customerId: '3',
        amount: 50000,
        txnDate: day(-4),
        applications: [{ invoiceId: '105', amount: 50000 }],
      },
      {
        id: '202',
        customerId: '5',
        amount: 80000,
        txnDate: day(-33),
        applications: [{ invoiceId: '116', amount: 80000 }],
      },
    ],
    creditMemos: [{ id: '301', customerId: '2', total: 2500, txnDate: day(-10) }],
    // What a write-off or a settlement discount can be credited to, and items it cannot (stock, bundles).
    items: [
      {
        id: '3',
        name: 'Bad debts',
        type: 'Service',
        description: 'Uncollectable balances written off',
        incomeAccountRef: { value: '61', name: 'Bad Debts' },
      },
      {
        id: '4',
        name: 'Settlement discounts',
        type: 'Service',
        incomeAccountRef: { value: '86', name: 'Discounts given' },
      },
      { id: '5', name: 'Design', type: 'NonInventory', incomeAccountRef: { value: '1', name: 'Services' } },
      { id: '6', name: 'Garden lights', type: 'Inventory', incomeAccountRef: { value: '79', name: 'Sales' } },
      { id: '7', name: 'Spring clean-up', type: 'Group' },
      { id: '8', name: 'Plants', type: 'Category' },
      { id: '9', name: 'Old write-offs', type: 'Service', active: false },
    ],
  };
}
