import type { LedgerConnector, Vendor } from './ledger.js';
import { createQuickBooksConnector, emulatorEndpoints } from './quickbooks/index.js';
import { createXeroConnector, xeroEmulatorEndpoints } from './xero/index.js';

export interface ConnectorSettings {
  quickbooks?: {
    clientId: string;
    clientSecret: string;
    webhookVerifierToken: string;
    environment: 'production' | 'sandbox';
    emulatorUrl?: string | undefined;
    /** VENDOR_HTTP_TIMEOUT_MS: how long a call may go unanswered; absent means 30 seconds. */
    httpTimeoutMs?: number | undefined;
  };
  xero?: {
    clientId: string;
    clientSecret: string;
    webhookKey: string;
    emulatorUrl?: string | undefined;
    /** VENDOR_HTTP_TIMEOUT_MS: how long a call may go unanswered; absent means 30 seconds. */
    httpTimeoutMs?: number | undefined;
  };
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
  for (const vendor of ['quickbooks', 'xero'] as const) {
    const connector = createConnector(vendor, settings);
    if (connector) connectors[vendor] = connector;
  }
  return connectors;
}
