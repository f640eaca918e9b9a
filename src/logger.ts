import { type DestinationStream, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

/**
 * Keys whose values never reach a log line, at any depth: credentials, and the content of emails
 * (their bodies are the debtor's business). Matched against each key of the JSON line as written.
 */
const secretKey =
  /^(?:[^"\\]*(?:authorization|cookie|password|secret|token|code_verifier|api_?key|signature)[^"\\]*|html|text|body|bodyHtml|bodyText)$/i;
/** A JSON member with a string value: its key, then its value (escapes included). */
const jsonStringMember = /"((?:[^"\\]|\\.)*)":"((?:[^"\\]|\\.)*)"/g;
/** Credentials inside text: HTTP authorization schemes, wherever they appear. */
const authorizationScheme = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
/** Paths whose last part is a credential: the debtor's portal, summary review and unsubscribe links, the inbound email secret. */
const tokenPath =
  /(\/portal\/(?:summary-unsubscribe\/)?|\/r\/|\/webhooks\/sendgrid\/inbound\/)[A-Za-z0-9._~%-]{8,}/g;
/** Query parameters that carry codes or tokens (OAuth callbacks, signed links). */
const secretParameter =
  /((?:^|[?&"\s])(?:code|state|token|access_token|refresh_token|id_token|client_secret|code_verifier|signature)=)[^&#\s"\\]*/gi;

const censor = '[redacted]';

/** Removes credentials from a piece of text (a URL, an error message, a whole log line). */
export function scrubText(text: string): string {
  return text
    .replace(authorizationScheme, `$1 ${censor}`)
    .replace(tokenPath, `$1${censor}`)
    .replace(secretParameter, `$1${censor}`);
}

/**
 * Redacts a finished JSON log line: every member whose key names a secret, at whatever depth the
 * vendor libraries nest it (an axios error carries its request's Authorization five levels down),
 * then credentials inside any text. Done on the line as written, so no serializer, child logger or
 * library object can carry a secret past it.
 */
export function redactLine(line: string): string {
  return scrubText(
    line.replace(jsonStringMember, (member, key: string) =>
      secretKey.test(key) ? `"${key}":"${censor}"` : member,
    ),
  );
}

/**
 * Errors as pino writes them, less the values of database queries: drizzle's failed-query error
 * carries the query's parameters (names, emails) in `params` and in its message, and PostgreSQL's
 * error its `detail` ("Key (email)=(…) already exists"). The SQL itself is kept.
 */
function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  withoutQueryValues(serialized, 0);
  return serialized;
}

function withoutQueryValues(value: unknown, depth: number): void {
  if (depth > 5 || value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if ('params' in record && 'query' in record) {
    delete record['params'];
    for (const key of ['message', 'stack'] as const) {
      const text = record[key];
      if (typeof text === 'string') record[key] = text.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, '');
    }
  }
  if ('severity' in record && 'routine' in record) {
    for (const key of ['detail', 'where', 'internalQuery']) delete record[key];
  }
  withoutQueryValues(record['cause'], depth + 1);
}

export type { Logger };

/** The one pino logger of the process; fastify, jobs and services take children of it. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'dunwell' },
      // Objects under a secret key (e.g. a whole `tokens` object) are cut by path; strings by the hook.
      redact: { paths: ['tokens', '*.tokens', 'headers.cookie', '*.headers.cookie'], censor },
      serializers: { err: serializeError, error: serializeError },
      hooks: { streamWrite: redactLine },
    },
    destination,
  );
}

/**
 * Where log lines go: readable lines (pino-pretty) when a person watches a terminal outside
 * production, JSON lines otherwise (production, files, pipes, log collectors). Either way each line
 * is redacted before it is written.
 */
export function logDestination(options: {
  environment: string;
  output: NodeJS.WritableStream & { isTTY?: boolean };
}): DestinationStream | undefined {
  if (options.environment === 'production' || options.output.isTTY !== true) return undefined;
  return pretty({
    destination: options.output,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    sync: true,
  });
}
