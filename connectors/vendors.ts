/**
 * Every ledger Dunwell connects to, listed once. Nothing outside `connectors/` and the emulators
 * names a vendor: pages, messages, schemas and routes read this list. Adding a vendor is its folder
 * under `connectors/`, one entry here, and its case in `factory.ts`. This module imports nothing, so
 * every floor (the database schema included) may read it.
 */
export const vendorIds = ['quickbooks', 'xero'] as const;

export type Vendor = (typeof vendorIds)[number];

export interface VendorInfo {
  /** The name people know it by ("QuickBooks"). */
  name: string;
  /** The product's full name, where it matters which one ("QuickBooks Online"). */
  productName: string;
  /** What one set of books is called there: a QuickBooks company, a Xero organisation. */
  booksNoun: string;
  /** The login people sign in with ("Intuit" for QuickBooks). */
  loginName: string;
  /** What a write-off or settlement credit is booked against (an item, an account). */
  creditTargetNoun: string;
  /** How the "connect" button invites a new business. */
  connectLabel: string;
  /** The class of its buttons, coloured with `brandColour` by the stylesheet. */
  buttonClass: string;
  /** Its brand colour, in a shade dark enough behind white text on its buttons (WCAG AA, 4.5:1). */
  brandColour: string;
  /**
   * Where the vendor's own pages open the app ("Launch URL", registered with the vendor): it signs in
   * with the vendor and opens Dunwell. Absent for a vendor that has none.
   */
  launchPath?: string;
}

export const vendors: Record<Vendor, VendorInfo> = {
  quickbooks: {
    name: 'QuickBooks',
    productName: 'QuickBooks Online',
    booksNoun: 'company',
    loginName: 'Intuit',
    creditTargetNoun: 'item',
    connectLabel: 'Connect to QuickBooks',
    buttonClass: 'qbo',
    brandColour: '#108000',
    launchPath: '/launch/quickbooks',
  },
  xero: {
    name: 'Xero',
    productName: 'Xero',
    booksNoun: 'organisation',
    loginName: 'Xero',
    creditTargetNoun: 'account',
    connectLabel: 'Sign up with Xero',
    buttonClass: 'xero',
    brandColour: '#0078a8',
  },
};

export const isVendor = (value: unknown): value is Vendor =>
  typeof value === 'string' && (vendorIds as readonly string[]).includes(value);

/** "QuickBooks or Xero", for sentences that name them all. */
export const vendorNamesInWords = (conjunction = 'or'): string => {
  const names = vendorIds.map((id) => vendors[id].name);
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} ${conjunction} ${names.at(-1)}`;
};
