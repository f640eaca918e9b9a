/** The QuickBooks app's settings from the environment (QUICKBOOKS_*). */
import { z } from 'zod';
import { emulatorUrl, requireTogether, type VendorEnvironment } from '../shared/environment.js';

/** What the factory builds the QuickBooks connector from. */
export interface QuickBooksSettings {
  clientId: string;
  clientSecret: string;
  webhookVerifierToken: string;
  environment: 'production' | 'sandbox';
  /** A local emulator to use instead of Intuit. */
  emulatorUrl?: string | undefined;
  /** VENDOR_HTTP_TIMEOUT_MS: how long a call to Intuit may go unanswered; absent means 30 seconds. */
  httpTimeoutMs?: number | undefined;
}

const shape = {
  QUICKBOOKS_CLIENT_ID: z.string().min(1).optional(),
  QUICKBOOKS_CLIENT_SECRET: z.string().min(1).optional(),
  QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: z.string().min(1).optional(),
  QUICKBOOKS_ENVIRONMENT: z.enum(['production', 'sandbox']).default('production'),
  QUICKBOOKS_EMULATOR_URL: emulatorUrl().optional(),
};

const credentials = [
  'QUICKBOOKS_CLIENT_ID',
  'QUICKBOOKS_CLIENT_SECRET',
  'QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN',
] as const;

export const quickBooksEnvironment: VendorEnvironment<typeof shape, QuickBooksSettings> = {
  shape,
  check: (env, issues) => requireTogether(credentials, env, issues),
  settings: (env, shared) =>
    env.QUICKBOOKS_CLIENT_ID && env.QUICKBOOKS_CLIENT_SECRET && env.QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN
      ? {
          clientId: env.QUICKBOOKS_CLIENT_ID,
          clientSecret: env.QUICKBOOKS_CLIENT_SECRET,
          webhookVerifierToken: env.QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN,
          environment: env.QUICKBOOKS_ENVIRONMENT,
          emulatorUrl: env.QUICKBOOKS_EMULATOR_URL,
          httpTimeoutMs: shared.httpTimeoutMs,
        }
      : undefined,
};
