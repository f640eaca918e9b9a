import { type DestinationStream, type Logger, pino } from 'pino';

/** Field names that never reach a log line, at the top level or nested up to three levels deep. */
const secretFields = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'code_verifier',
  'apiKey',
  'html',
  'text',
  'body',
  'bodyHtml',
  'bodyText',
];

function redactionPaths(): string[] {
  const paths: string[] = [];
  for (const field of secretFields) {
    const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
    const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
    paths.push(key, join('*'), join('*.*'), join('*.*.*'));
  }
  return paths;
}

export type { Logger };

/** The one pino logger of the process; fastify, jobs and services take children of it. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'dunwell' },
      redact: { paths: redactionPaths(), censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination,
  );
}
