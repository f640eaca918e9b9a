/**
 * The connectors' settings from the environment: each vendor's variables (its folder's `env.ts`,
 * registered here once) and how long any vendor call may take. The app puts these variables in its
 * one schema, so every problem is listed together, then asks here for the settings.
 */
import { z } from 'zod';
import type { ConnectorSettings } from './factory.js';
import { quickBooksEnvironment } from './quickbooks/env.js';
import type { IssueSink, SharedVendorSettings, VendorEnvironment } from './shared/environment.js';
import { type Vendor, vendorIds } from './vendors.js';
import { xeroEnvironment } from './xero/env.js';

type SettingsOf<V extends Vendor> = NonNullable<ConnectorSettings[V]>;

const environments = {
  quickbooks: quickBooksEnvironment,
  xero: xeroEnvironment,
};
/** The same, as the loops over vendors see it. */
const byVendor: { [V in Vendor]: VendorEnvironment<z.ZodRawShape, SettingsOf<V>> } = environments;

const sharedShape = {
  // No default here: left unset, the connectors use their own (30 s, shared/http-timeout.ts).
  VENDOR_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).optional(),
};

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (
  intersection: infer I,
) => void
  ? I
  : never;
type ConnectorEnvironmentShape = UnionToIntersection<(typeof environments)[Vendor]['shape']> &
  typeof sharedShape;

/** Every variable the connectors read, for the app's environment schema. */
export const connectorEnvironmentShape = Object.assign(
  {},
  ...vendorIds.map((vendor) => environments[vendor].shape),
  sharedShape,
) as ConnectorEnvironmentShape;

export type ConnectorEnvironment = z.output<z.ZodObject<ConnectorEnvironmentShape>>;

/** Problems across a vendor's variables (credentials that go together), once each has parsed. */
export function checkConnectorEnvironment(env: ConnectorEnvironment, issues: IssueSink): void {
  for (const vendor of vendorIds) byVendor[vendor].check?.(env, issues);
}

/** The settings of every vendor whose app is configured; the others are absent. */
export function connectorSettingsFromEnv(env: ConnectorEnvironment): ConnectorSettings {
  const shared: SharedVendorSettings = { httpTimeoutMs: env.VENDOR_HTTP_TIMEOUT_MS };
  const settings: ConnectorSettings = {};
  for (const vendor of vendorIds) addSettings(settings, vendor, env, shared);
  return settings;
}

function addSettings<V extends Vendor>(
  settings: ConnectorSettings,
  vendor: V,
  env: ConnectorEnvironment,
  shared: SharedVendorSettings,
): void {
  const made = byVendor[vendor].settings(env, shared);
  if (made) settings[vendor] = made;
}
