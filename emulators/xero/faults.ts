/**
 * Error answers in Xero's shapes.
 * - 400 validation: `{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred",
 *   "Elements":[{…the element…,"ValidationErrors":[{"Message":"…"}]}]}` (xero_accounting.yaml examples; xero-node #407).
 * - 400 unreadable body: `{"ErrorNumber":14,"Type":"PostDataInvalidException","Message":"JSON request body could not
 *   be read, …"}` (laravel-xero-oauth2 #2).
 * - 401 / 403: RFC 7807-style `{"Type":null,"Title":"Unauthorized","Status":401,"Detail":"…","Instance":"<uuid>",
 *   "Extensions":{}}`. Details seen in the wild: `TokenExpired: token expired at 04/09/2023 05:16:59` (pyxero #337),
 *   `AuthenticationUnsuccessful` for an unknown token (xero-php-oauth2 #138), `AuthorizationUnsuccessful` for a
 *   missing scope (Xero-NetStandard #298), and 403 `Forbidden` / `AuthenticationUnsuccessful` for a tenant the
 *   token may not use (laravel-xero #40, xero-php-oauth2 #147).
 * - 404: the plain text `The resource you're looking for cannot be found` (Xero-OpenAPI #163).
 * - 429 and 500 bodies are undocumented; the emulator answers in the 401/403 shape (a guess). What matters on a
 *   429 are the headers (see rate-limiter.ts).
 * - where/order that cannot be parsed: 400 `QueryParseException` (ErrorNumber 16 is a guess).
 */
import { randomUUID } from 'node:crypto';

export const JSON_TYPE = 'application/json; charset=utf-8';
type Json = Record<string, unknown>;

export class XeroHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType = JSON_TYPE,
    readonly headers: Record<string, string> = {},
  ) {
    super(`Xero emulator answered ${status}`);
  }
}

export function validationElement(base: Json, messages: readonly string[]): Json {
  return { ...base, ValidationErrors: messages.map((Message) => ({ Message })) };
}

export function validationError(elements: Json[]): XeroHttpError {
  return new XeroHttpError(
    400,
    JSON.stringify({
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: elements,
    }),
  );
}

export function postDataInvalid(message: string): XeroHttpError {
  return new XeroHttpError(
    400,
    JSON.stringify({ ErrorNumber: 14, Type: 'PostDataInvalidException', Message: message }),
  );
}

export function queryParseError(message: string): XeroHttpError {
  return new XeroHttpError(
    400,
    JSON.stringify({ ErrorNumber: 16, Type: 'QueryParseException', Message: message }),
  );
}

export function problem(status: number, title: string, detail: string | null): Json {
  return { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} };
}

export function unauthorized(detail: string): XeroHttpError {
  return new XeroHttpError(401, JSON.stringify(problem(401, 'Unauthorized', detail)), JSON_TYPE, {
    'www-authenticate': 'Bearer',
  });
}

export function forbidden(): XeroHttpError {
  return new XeroHttpError(403, JSON.stringify(problem(403, 'Forbidden', 'AuthenticationUnsuccessful')));
}

export function notFound(): XeroHttpError {
  return new XeroHttpError(
    404,
    "The resource you're looking for cannot be found",
    'text/plain; charset=utf-8',
  );
}

export function tooManyRequests(detail: string, headers: Record<string, string>): XeroHttpError {
  return new XeroHttpError(
    429,
    JSON.stringify(problem(429, 'Too Many Requests', detail)),
    JSON_TYPE,
    headers,
  );
}

export function serverError(): XeroHttpError {
  return new XeroHttpError(
    500,
    JSON.stringify(problem(500, 'Internal Server Error', 'An error occurred in Xero (emulated fault).')),
  );
}
