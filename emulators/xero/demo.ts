/** The small demo organisation the standalone emulator starts with: every invoice state a collections app meets. */
import { addDays, isoDate } from './time.js';
import type { OrganisationSeed } from './types.js';

const C = {
  bird: '5b96e86b-418e-48e8-8949-308c14aec278',
  surf: '9ce626d2-14ea-463c-9fff-6785ab5f9bfb',
  cars: '6d1c0a32-0c6b-4c25-bd46-8c4a61a0d3c7',
  diego: 'c9a7f2a4-6d7e-4b63-9f4d-2c3b1a0e5d11',
  freeman: '0f0c1b3e-2a5d-4e6f-8a9b-1c2d3e4f5a6b',
  geeta: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  maple: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7',
  orchard: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
};

/** Invoice ids are fixed too, so the demo's links and logs stay stable across restarts. */
const I = (n: number) => `1e0b8d5c-0000-4000-8000-${String(n).padStart(12, '0')}`;
const A = (n: number) => `a0c0a7e1-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function demoOrganisationSeed(now: number): OrganisationSeed {
  const today = isoDate(now);
  const day = (offset: number) => addDays(today, offset);
  return {
    tenantId: '7d1f4b06-4f4f-4b8e-a2c4-6a4f1f0c9e21',
    name: 'Dunwell Demo Landscaping',
    baseCurrency: 'NZD',
    countryCode: 'NZ',
    user: { email: 'owner@demo-landscaping.example', firstName: 'Dana', lastName: 'Demo' },
    contacts: [
      {
        id: C.bird,
        name: "Amy's Bird Sanctuary",
        emailAddress: 'birds@example.com',
        addresses: [
          { addressType: 'POBOX', addressLine1: 'PO Box 4581', city: 'Nelson', postalCode: '7040' },
          { addressType: 'STREET', addressLine1: '12 Finch Road', city: 'Nelson', postalCode: '7010' },
        ],
      },
      {
        id: C.surf,
        name: 'Bill’s Windsurf Shop',
        emailAddress: 'surf@example.com',
        addresses: [
          {
            addressType: 'POBOX',
            addressLine1: 'Attn: Accounts',
            addressLine2: '8 Marine Parade',
            city: 'Napier',
            postalCode: '4110',
            country: 'New Zealand',
          },
        ],
        contactPersons: [
          {
            firstName: 'Bill',
            lastName: 'Lucchini',
            emailAddress: 'bill@example.com',
            includeInEmails: true,
          },
        ],
      },
      {
        id: C.cars,
        name: 'Cool Cars',
        emailAddress: 'cool_cars@example.com',
        // Only a street address: letters go there.
        addresses: [
          {
            addressType: 'STREET',
            addressLine1: '65 Tory Street',
            addressLine2: 'Te Aro',
            city: 'Wellington',
            postalCode: '6011',
          },
        ],
      },
      { id: C.diego, name: 'Diego Rodriguez', firstName: 'Diego', lastName: 'Rodriguez', emailAddress: null },
      {
        id: C.freeman,
        name: 'Freeman Sporting Goods',
        emailAddress: 'sporting@example.com',
        addresses: [
          {
            addressType: 'POBOX',
            addressLine1: 'Private Bag 370',
            city: 'Christchurch',
            region: 'Canterbury',
            postalCode: '8140',
          },
        ],
        contactPersons: [
          {
            firstName: 'Ann',
            lastName: 'Accounts',
            emailAddress: 'ap@freeman.example',
            includeInEmails: true,
          },
          {
            firstName: 'Sam',
            lastName: 'Sales',
            emailAddress: 'sam@freeman.example',
            includeInEmails: false,
          },
        ],
      },
      {
        id: C.geeta,
        name: 'Geeta Kalapatapu',
        emailAddress: 'geeta@example.com',
        addresses: [
          { addressType: 'POBOX', addressLine1: '19 Main Street', city: 'Hamilton', postalCode: '3204' },
        ],
      },
      {
        id: C.maple,
        name: 'Maple Leaf Outfitters',
        emailAddress: 'ap@mapleleaf.example',
        defaultCurrency: 'AUD',
        addresses: [
          { addressType: 'POBOX', addressLine1: '500 Harbour Road', city: 'Tauranga', postalCode: '3110' },
        ],
      },
      {
        id: C.orchard,
        name: 'Old Orchard (closed)',
        emailAddress: 'orchard@example.com',
        contactStatus: 'ARCHIVED',
      },
    ],
    invoices: [
      { id: I(101), contactId: C.bird, total: 10850, dueDate: day(12) },
      { id: I(102), contactId: C.bird, total: 23900, dueDate: day(-9), sentToContact: true },
      { id: I(103), contactId: C.surf, total: 8500, dueDate: day(-42), sentToContact: true },
      { id: I(104), contactId: C.surf, total: 45000, dueDate: day(-75), reference: 'Promised by phone' },
      { id: I(105), contactId: C.cars, total: 69400, dueDate: day(-3), amountDue: 19400 },
      { id: I(106), contactId: C.cars, total: 12000, dueDate: day(20) },
      { id: I(107), contactId: C.diego, total: 15625, dueDate: day(-15) },
      { id: I(108), contactId: C.freeman, total: 120050, dueDate: day(-31), sentToContact: true },
      { id: I(109), contactId: C.freeman, total: 30000, dueDate: day(5) },
      { id: I(110), contactId: C.geeta, total: 7525, dueDate: day(-1) },
      { id: I(111), contactId: C.maple, total: 54000, dueDate: day(-18) },
      { id: I(112), contactId: C.maple, total: 21000, dueDate: day(25) },
      { id: I(113), contactId: C.bird, total: 5000, dueDate: day(-60), status: 'PAID' },
      { id: I(114), contactId: C.surf, total: 17500, dueDate: day(-50), status: 'PAID' },
      { id: I(115), contactId: C.cars, total: 33300, dueDate: day(-40), status: 'PAID' },
      { id: I(116), contactId: C.freeman, total: 80000, dueDate: day(-35), status: 'PAID' },
      { id: I(117), contactId: C.geeta, total: 9900, dueDate: day(-20), status: 'PAID' },
      { id: I(118), contactId: C.orchard, total: 14000, dueDate: day(-90), status: 'PAID' },
      { id: I(119), contactId: C.diego, total: 26000, dueDate: day(-5), status: 'VOIDED' },
      { id: I(120), contactId: C.geeta, total: 41000, dueDate: day(40), status: 'DRAFT' },
      { id: I(121), contactId: C.surf, total: 12500, dueDate: day(-25), amountDue: 10000 },
    ],
    payments: [{ invoiceId: I(105), amount: 50000, date: day(-4), reference: 'Bank transfer' }],
    creditNotes: [
      {
        contactId: C.surf,
        total: 4000,
        date: day(-10),
        allocations: [{ invoiceId: I(121), amount: 2500, date: day(-10) }],
      },
    ],
    // What a write-off or a settlement discount can be coded to, beside the starter chart.
    accounts: [
      {
        id: A(1),
        code: '480',
        name: 'Bad Debts',
        type: 'EXPENSE',
        description: 'Uncollectable debts written off',
      },
      { id: A(2), code: '265', name: 'Settlement Discounts', type: 'REVENUE' },
      { id: A(3), code: '416', name: 'Depreciation', type: 'DEPRECIATN' },
      { id: A(4), code: '710', name: 'Office Equipment', type: 'FIXED' },
      { id: A(5), code: '481', name: 'Old Bad Debts', type: 'EXPENSE', status: 'ARCHIVED' },
    ],
  };
}
