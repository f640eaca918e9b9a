/** The Xero app's settings from the environment (XERO_*). */
import { z } from 'zod';
import { emulatorUrl, type VendorEnvironment } from '../shared/environment.js';

/** What the factory builds the Xero connector from. */
export interface XeroSettings {
  clientId: string;
  clientSecret: string;
  webhookKey: string;
  /** A local emulator to use instead of Xero. */
  emulatorUrl?: string | undefined;
  /** VENDOR_HTTP_TIMEOUT_MS: how long a call to Xero may go unanswered; absent means 30 seconds. */
  httpTimeoutMs?: number | undefined;
}

const shape = {
  XERO_CLIENT_ID: z.string().min(1).optional(),
  XERO_CLIENT_SECRET: z.string().min(1).optional(),
  XERO_WEBHOOK_KEY: z.string().min(1).optional(),
  XERO_EMULATOR_URL: emulatorUrl().optional(),
};

export const xeroEnvironment: VendorEnvironment<typeof shape, XeroSettings> = {
  shape,
  settings: (env, shared) =>
    env.XERO_CLIENT_ID && env.XERO_CLIENT_SECRET && env.XERO_WEBHOOK_KEY
      ? {
          clientId: env.XERO_CLIENT_ID,
          clientSecret: env.XERO_CLIENT_SECRET,
          webhookKey: env.XERO_WEBHOOK_KEY,
          emulatorUrl: env.XERO_EMULATOR_URL,
          httpTimeoutMs: shared.httpTimeoutMs,
        }
      : undefined,
};
