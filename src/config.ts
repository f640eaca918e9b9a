import { z } from 'zod';
import type { ConnectorSettings } from '../connectors/factory.js';
import {
  checkConnectorEnvironment,
  connectorEnvironmentShape,
  connectorSettingsFromEnv,
} from '../connectors/settings-from-env.js';
import { type Keyring, parseKeyring } from './crypto/keyring.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const keyringSetting = z.string().transform((value, ctx) => {
  const parsed = parseKeyring(value);
  if (parsed.ok) return parsed.keyring;
  for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
  return z.NEVER;
});

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    TRUST_PROXY: z
      .string()
      .regex(
        /^(false|true|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
        'must be false, true, a number of proxy hops, or proxy addresses (CIDR) separated by commas',
      )
      .default('false'),
    DATA_DIR: z.string().min(1).default('.data'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
    LOG_LEVEL: z.enum(logLevels).default('info'),
    TOKEN_KEYS: keyringSetting.optional(),
    JOB_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
    JOB_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(3_600).default(40),
    PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    // Each vendor's app, and how long a vendor call may take: the connectors own these variables.
    ...connectorEnvironmentShape,
    SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().min(1).optional(),
    SENDGRID_API_KEY: z.string().min(1).optional(),
    INBOUND_REPLY_DOMAIN: z
      .string()
      .regex(
        /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
        'must be a domain name (e.g. in.example.com)',
      )
      .optional(),
    INBOUND_EMAIL_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{24,200}$/, 'must be 24 to 200 letters, digits, "-" or "_" (it is part of a URL)')
      .optional(),
    EMAIL_FROM: z.email().default('reminders@dunwell.invalid'),
    EMAIL_FROM_NAME: z.string().min(1).max(100).default('Dunwell'),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    OWNER_DIGEST_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
    SLACK_WEBHOOK_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be an Account SID (AC and 32 hex digits)')
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16, "must be the account's auth token").optional(),
    TWILIO_FROM: z
      .string()
      .regex(
        /^\+[1-9]\d{6,14}$/,
        'must be a phone number in E.164 form (+ and the digits, e.g. +447700900123)',
      )
      .optional(),
    TWILIO_MESSAGING_SERVICE_SID: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'must be a Messaging Service SID (MG and 32 hex digits)')
      .optional(),
    TWILIO_EMULATOR_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.JOB_HEARTBEAT_TIMEOUT_SECONDS < 3 * env.JOB_HEARTBEAT_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['JOB_HEARTBEAT_TIMEOUT_SECONDS'],
        message: `must be at least 3 × JOB_HEARTBEAT_SECONDS (${3 * env.JOB_HEARTBEAT_SECONDS}), so a live job survives two missed heartbeats`,
      });
    }
    checkConnectorEnvironment(env, ctx);
    checkTwilio(env, ctx);
    if (env.NODE_ENV !== 'production') return;
    if (!env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
    }
    if (!env.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'is required in production (OAuth redirects use it)',
      });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required in production (the embedded database is for local use)',
      });
    }
    if (!env.TOKEN_KEYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOKEN_KEYS'],
        message: 'is required in production (generate one with: npm run keys:new)',
      });
    }
  });

export type Role = 'all' | 'web' | 'worker';

export interface Config {
  environment: 'development' | 'test' | 'production';
  role: Role;
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (rate limits, logs): none by
   * default, so a client cannot pick its own; Fastify's trustProxy (hops or addresses) otherwise.
   */
  http: { host: string; port: number; trustProxy: TrustProxy };
  dataDir: string;
  /** Absent means: start the embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolMax: number;
  logLevel: (typeof logLevels)[number];
  /** Absent outside production means: use (or create) the local keyring in `dataDir`. */
  tokenKeys: Keyring | undefined;
  jobConcurrency: number;
  /**
   * Workers refresh a heartbeat on their running jobs every `intervalSeconds` and sweep for jobs whose
   * heartbeat is older than `timeoutSeconds` (their worker died): those are retried at once.
   */
  jobHeartbeat: { intervalSeconds: number; timeoutSeconds: number };
  shutdownTimeoutMs: number;
  /** Where people and vendors reach this service; OAuth redirect URIs are built from it. */
  publicUrl: string;
  /** Signs cookies. Absent outside production means: use (or create) one in `dataDir`. */
  sessionSecret: string | undefined;
  /** The connector settings of each vendor whose app is configured; the others are absent. */
  vendors: ConnectorSettings;
  /** Verifies SendGrid's signed Event Webhook; absent means the route is not served. */
  sendGridWebhookPublicKey: string | undefined;
  /** The secret path part of SendGrid's Inbound Parse URL; absent means inbound emails are not accepted. */
  inboundEmailSecret: string | undefined;
  /** The domain of reminders' own reply addresses (`reply+<token>@domain`); absent: replies go to the organisation. */
  inboundReplyDomain: string | undefined;
  /** Without a SendGrid API key, emails are kept by the local transport (shown in the app, not sent). */
  email: { sendGridApiKey: string | undefined; from: { email: string; name: string } };
  /**
   * What debtors do reaches the owner in digests, at most one per organisation per `windowMinutes`;
   * Slack posts go to `slackBaseUrl` when set (a stand-in for https://hooks.slack.com).
   */
  ownerDigest: { windowMinutes: number; slackBaseUrl: string | undefined };
  /** Text messages through Twilio; absent: SMS is off (the zero-setup demo runs the local emulator). */
  sms: SmsSettings | undefined;
}

export interface SmsSettings {
  accountSid: string;
  authToken: string;
  sender: { from: string } | { messagingServiceSid: string };
  /** The Twilio emulator's URL instead of https://api.twilio.com. */
  apiBaseUrl: string | undefined;
}

type TwilioVariables = {
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
  TWILIO_FROM?: string | undefined;
  TWILIO_MESSAGING_SERVICE_SID?: string | undefined;
  TWILIO_EMULATOR_URL?: string | undefined;
};

/** Twilio's settings come together: the account SID and auth token, and one sender (a number or a Messaging Service). */
function checkTwilio(env: TwilioVariables, ctx: z.RefinementCtx): void {
  const given = [
    env.TWILIO_ACCOUNT_SID,
    env.TWILIO_AUTH_TOKEN,
    env.TWILIO_FROM ?? env.TWILIO_MESSAGING_SERVICE_SID,
  ];
  if (given.every((value) => value === undefined)) return;
  if (!env.TWILIO_ACCOUNT_SID)
    ctx.addIssue({
      code: 'custom',
      path: ['TWILIO_ACCOUNT_SID'],
      message: 'is required with the other TWILIO_ settings',
    });
  if (!env.TWILIO_AUTH_TOKEN)
    ctx.addIssue({
      code: 'custom',
      path: ['TWILIO_AUTH_TOKEN'],
      message: 'is required with the other TWILIO_ settings',
    });
  if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID)
    ctx.addIssue({
      code: 'custom',
      path: ['TWILIO_FROM'],
      message: 'or TWILIO_MESSAGING_SERVICE_SID is required: who texts are sent as',
    });
  if (env.TWILIO_FROM && env.TWILIO_MESSAGING_SERVICE_SID)
    ctx.addIssue({
      code: 'custom',
      path: ['TWILIO_FROM'],
      message: 'give TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, not both',
    });
}

function smsSettingsOf(env: TwilioVariables): SmsSettings | undefined {
  if (!env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN) return undefined;
  const sender = env.TWILIO_FROM
    ? { from: env.TWILIO_FROM }
    : env.TWILIO_MESSAGING_SERVICE_SID
      ? { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID }
      : undefined;
  if (!sender) return undefined;
  return {
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    sender,
    apiBaseUrl: env.TWILIO_EMULATOR_URL?.replace(/\/+$/, ''),
  };
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Fastify's trustProxy: nobody, everybody, proxy addresses, or the nearest `n` hops. */
export type TrustProxy = boolean | string | ((address: string, hop: number) => boolean);

function trustProxyOf(setting: string): TrustProxy {
  if (setting === 'false') return false;
  if (setting === 'true') return true;
  if (!/^\d+$/.test(setting)) return setting;
  const hops = Number(setting);
  return (_address, hop) => hop < hops;
}

/** Parses the environment once at start; throws a ConfigError that lists every problem. */
export function loadConfig(environment: NodeJS.ProcessEnv, argv: readonly string[] = []): Config {
  const problems: string[] = [];
  const role = parseRole(argv, problems);
  // An empty variable is treated as unset, as shells and .env files often leave them empty.
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.') || 'environment'}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const env = parsed.data;
  return {
    environment: env.NODE_ENV,
    role,
    http: { host: env.HOST, port: env.PORT, trustProxy: trustProxyOf(env.TRUST_PROXY) },
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    logLevel: env.LOG_LEVEL,
    tokenKeys: env.TOKEN_KEYS,
    jobConcurrency: env.JOB_CONCURRENCY,
    jobHeartbeat: {
      intervalSeconds: env.JOB_HEARTBEAT_SECONDS,
      timeoutSeconds: env.JOB_HEARTBEAT_TIMEOUT_SECONDS,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    sessionSecret: env.SESSION_SECRET,
    vendors: connectorSettingsFromEnv(env),
    sendGridWebhookPublicKey: env.SENDGRID_WEBHOOK_PUBLIC_KEY,
    inboundEmailSecret: env.INBOUND_EMAIL_SECRET,
    inboundReplyDomain: env.INBOUND_REPLY_DOMAIN?.toLowerCase(),
    ownerDigest: { windowMinutes: env.OWNER_DIGEST_MINUTES, slackBaseUrl: env.SLACK_WEBHOOK_BASE_URL },
    email: {
      sendGridApiKey: env.SENDGRID_API_KEY,
      from: { email: env.EMAIL_FROM, name: env.EMAIL_FROM_NAME },
    },
    sms: smsSettingsOf(env),
  };
}

function parseRole(argv: readonly string[], problems: string[]): Role {
  const index = argv.findIndex((arg) => arg === '--role' || arg.startsWith('--role='));
  if (index === -1) return 'all';
  const arg = argv[index] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  if (value === 'all' || value === 'web' || value === 'worker') return value;
  problems.push(`--role: must be one of web, worker, all (got ${JSON.stringify(value ?? '')})`);
  return 'all';
}
