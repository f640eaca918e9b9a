/**
 * An emulator running on its own, outside a test: from the command line (`npm run emulators`) or as the
 * zero-setup demo's stand-in for a vendor nobody configured. Each vendor says how its emulator is made,
 * given books and pointed at a webhook receiver (`defineLocalLedger`); starting, seeding and
 * describing it are the same for all.
 */
import { readFileSync } from 'node:fs';
import type { Vendor } from '../../connectors/vendors.js';
import type { EmulatorLifecycle } from './host.js';

/** An app's credentials with a vendor: the emulator checks them, the connector sends them. */
export interface AppCredentials {
  clientId: string;
  clientSecret: string;
  /** Signs webhooks (QuickBooks' verifier token, Xero's webhook key). */
  webhookSecret: string;
}

export interface StartOptions {
  /** 0 takes any free port. */
  port: number;
  /** Receives webhooks as changes happen; none when absent. */
  webhookUrl?: string | undefined;
  /** A JSON file holding one seed or an array of them; the demo books when absent. */
  fixtureFile?: string | undefined;
}

export interface RunningLedger {
  url: string;
  /** The ids of its books (realms, tenants), in the order they were added. */
  booksIds: string[];
  /** What the "listening" log line says beside the url: ids, client id, endpoints. */
  description: Record<string, unknown>;
  close(): Promise<void>;
}

/** One vendor's emulator, ready to run on its own; `Settings` is what its connector is given. */
export interface LocalLedger<Settings> {
  vendor: Vendor;
  /** What its books' ids are called in logs (`realmId`, `tenantId`). */
  booksIdName: string;
  start(credentials: AppCredentials, options: StartOptions): Promise<RunningLedger>;
  /** The connector settings that point at a running emulator (the shape connectors/factory.ts takes). */
  connectorSettings(credentials: AppCredentials, url: string): Settings;
  /** How the command line reads its settings. */
  cli: {
    /** Prefix of its variables: `${prefix}_EMULATOR_PORT`, `_CLIENT_ID`, `_CLIENT_SECRET`, … */
    prefix: string;
    port: number;
    /** The variable holding the webhook secret, and the development value used without it. */
    webhookSecret: { variable: string; fallback: string };
  };
}

interface LedgerSpec<Seed, Emulator extends EmulatorLifecycle & { endpoints: unknown }, Settings>
  extends Omit<LocalLedger<Settings>, 'start'> {
  create(credentials: AppCredentials): Emulator;
  addBooks(emulator: Emulator, seed: Seed): string;
  pushWebhooks(emulator: Emulator, url: string): void;
  demoSeed(now: number): Seed;
  /** More for the log line, from the seeds (the users to sign in as). */
  describeSeeds?(seeds: Seed[]): Record<string, unknown>;
}

export function defineLocalLedger<
  Seed,
  Emulator extends EmulatorLifecycle & { endpoints: unknown },
  Settings,
>(spec: LedgerSpec<Seed, Emulator, Settings>): LocalLedger<Settings> {
  return {
    vendor: spec.vendor,
    booksIdName: spec.booksIdName,
    connectorSettings: spec.connectorSettings,
    cli: spec.cli,
    async start(credentials, options) {
      const emulator = spec.create(credentials);
      const seeds = options.fixtureFile ? readSeeds<Seed>(options.fixtureFile) : [spec.demoSeed(Date.now())];
      const booksIds = seeds.map((seed) => spec.addBooks(emulator, seed));
      if (options.webhookUrl) spec.pushWebhooks(emulator, options.webhookUrl);
      await emulator.listen(options.port);
      return {
        url: emulator.url,
        booksIds,
        description: {
          url: emulator.url,
          [spec.booksIdName]: booksIds[0],
          [`${spec.booksIdName}s`]: booksIds,
          ...spec.describeSeeds?.(seeds),
          clientId: credentials.clientId,
          endpoints: emulator.endpoints,
        },
        close: () => emulator.close(),
      };
    },
  };
}

/** A fixture file's seeds: one seed, or an array of them (trusted as written, like any test data). */
function readSeeds<Seed>(file: string): Seed[] {
  const fixture: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return (Array.isArray(fixture) ? fixture : [fixture]) as Seed[];
}
