import { quickBooksClient } from '../../../connectors/quickbooks/api.js';
import { emulatorEndpoints, type QuickBooksConfig } from '../../../connectors/quickbooks/config.js';

/** Where nock answers for QuickBooks in unit tests: realm 123 on http://qbo.test. */
export const api = 'http://qbo.test';
const config: QuickBooksConfig = {
  clientId: 'id',
  clientSecret: 'secret',
  webhookVerifierToken: 'v',
  environment: 'production',
  endpoints: emulatorEndpoints(api),
};
/** A real node-quickbooks client for realm 123, pointed at the stubbed API. */
export const client = (token: string) => quickBooksClient(config, '123', token);
