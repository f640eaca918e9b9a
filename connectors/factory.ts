import type { LedgerConnector, Vendor } from './ledger.js';
import type { QuickBooksSettings } from './quickbooks/env.js';
import { createQuickBooksConnector, emulatorEndpoints } from './quickbooks/index.js';
import { vendorIds } from './vendors.js';
import type { XeroSettings } from './xero/env.js';
import { createXeroConnector, xeroEmulatorEndpoints } from './xero/index.js';

/** Each vendor's settings (from the environment: settings-from-env.ts); a vendor not configured is absent. */
export interface ConnectorSettings {
  quickbooks?: QuickBooksSettings | undefined;
  xero?: XeroSettings | undefined;
}

export type LedgerConnectors = Partial<Record<Vendor, LedgerConnector>>;

/** Builds the connector of one vendor from its settings; null when that vendor is not configured. */
export function createConnector(vendor: Vendor, settings: ConnectorSettings): LedgerConnector | null {
  switch (vendor) {
    case 'quickbooks': {
      const quickbooks = settings.quickbooks;
      if (!quickbooks) return null;
      return createQuickBooksConnector({
        clientId: quickbooks.clientId,
        clientSecret: quickbooks.clientSecret,
        webhookVerifierToken: quickbooks.webhookVerifierToken,
        environment: quickbooks.environment,
        ...(quickbooks.emulatorUrl ? { endpoints: emulatorEndpoints(quickbooks.emulatorUrl) } : {}),
        ...(quickbooks.httpTimeoutMs ? { httpTimeoutMs: quickbooks.httpTimeoutMs } : {}),
      });
    }
    case 'xero': {
      const xero = settings.xero;
      if (!xero) return null;
      return createXeroConnector({
        clientId: xero.clientId,
        clientSecret: xero.clientSecret,
        webhookKey: xero.webhookKey,
        ...(xero.emulatorUrl ? { endpoints: xeroEmulatorEndpoints(xero.emulatorUrl) } : {}),
        ...(xero.httpTimeoutMs ? { httpTimeoutMs: xero.httpTimeoutMs } : {}),
      });
    }
    default: {
      const unknown: never = vendor;
      throw new Error(`Unknown vendor ${String(unknown)}`);
    }
  }
}

/** One connector per configured vendor, made once per process (intuit-oauth keeps process-wide state). */
export function createConnectors(settings: ConnectorSettings): LedgerConnectors {
  const connectors: LedgerConnectors = {};
  for (const vendor of vendorIds) {
    const connector = createConnector(vendor, settings);
    if (connector) connectors[vendor] = connector;
  }
  return connectors;
}
