/** What an API handler works with: one company, its ledger, the request's query string and the clock. */
import type { Company } from '../store/company.js';
import type { Ledger } from '../store/ledger.js';

export interface ApiContext {
  company: Company;
  ledger: Ledger;
  query: Record<string, string | undefined>;
  /** Origin of the emulator, for InvoiceLink URLs. */
  baseUrl: string;
  now: number;
}
