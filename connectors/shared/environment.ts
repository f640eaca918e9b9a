/** What every vendor's environment module (`<vendor>/env.ts`) is made of. */
import { z } from 'zod';

/** Settings every vendor's connector takes from the environment alike. */
export interface SharedVendorSettings {
  /** VENDOR_HTTP_TIMEOUT_MS: how long a call may go unanswered; absent means the connector's 30 s. */
  httpTimeoutMs: number | undefined;
}

/** Where a check reports a problem (zod's refinement context). */
export interface IssueSink {
  addIssue(issue: { code: 'custom'; path: string[]; message: string }): void;
}

/** One vendor's variables: their schema, the checks across them, and the settings they make. */
export interface VendorEnvironment<Shape extends z.ZodRawShape, Settings> {
  /** Each variable optional or with a default: a vendor nobody configured is no error. */
  shape: Shape;
  /** Problems across its variables, once each has parsed. */
  check?(env: z.output<z.ZodObject<Shape>>, issues: IssueSink): void;
  /** Its connector's settings; undefined when its app is not configured. */
  settings(env: z.output<z.ZodObject<Shape>>, shared: SharedVendorSettings): Settings | undefined;
}

/** A local emulator's base URL. */
export const emulatorUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Variables that only work together: naming some of them asks for the others. */
export function requireTogether(
  names: readonly string[],
  env: Readonly<Record<string, unknown>>,
  issues: IssueSink,
): void {
  const given = names.filter((name) => env[name] !== undefined);
  if (given.length === 0 || given.length === names.length) return;
  for (const name of names.filter((candidate) => env[candidate] === undefined)) {
    issues.addIssue({ code: 'custom', path: [name], message: `is required with ${given.join(' and ')}` });
  }
}
