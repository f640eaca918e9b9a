/**
 * Validates raw (PascalCase, wire) JSON against Xero's official OpenAPI descriptions, copied into
 * test/fixtures/xero-openapi (see SOURCE.md and LICENSE there):
 *
 *   validateXero('Invoices', json)          // → [] when valid, else readable error strings
 *   validateXeroWebhook('WebhookEvent', json)
 *
 * The YAML is parsed once per process with the `yaml` package.
 * Ajv runs with `strict: false` on `{ $id: 'xero', components }` and compiles `xero#/components/schemas/<Name>`
 * (full dereferencing overflows on the circular schemas). The schemas allow extra properties and carry no length
 * limits; formats are checked for uuid (other formats are accepted as they are).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
/** The copy kept in the repository, so a clone alone passes; XERO_REFERENCE_DIR overrides. */
export const XERO_REFERENCE_DIR =
  process.env['XERO_REFERENCE_DIR'] ?? resolve(here, '../fixtures/xero-openapi');

const documents = new Map<string, Record<string, unknown>>();

/** The YAML file as a JavaScript object (parsed once per process). */
export function loadXeroDocument(fileName: string): Record<string, unknown> {
  const cached = documents.get(fileName);
  if (cached) return cached;
  const document = parse(readFileSync(join(XERO_REFERENCE_DIR, fileName), 'utf8'), {
    maxAliasCount: -1,
  }) as Record<string, unknown>;
  documents.set(fileName, document);
  return document;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const anything = () => true;

function newAjv(): Ajv {
  return new Ajv({
    strict: false,
    allErrors: true,
    logger: false,
    formats: {
      uuid: UUID,
      double: anything,
      float: anything,
      int32: anything,
      int64: anything,
      date: anything,
      'date-time': anything,
      binary: anything,
      byte: anything,
      uri: anything,
      email: anything,
    },
  });
}

interface Registry {
  ajv: Ajv;
  id: string;
  compiled: Map<string, ValidateFunction>;
}

const registries = new Map<string, Registry>();

function registry(id: string, fileName: string): Registry {
  let found = registries.get(id);
  if (!found) {
    const ajv = newAjv();
    const document = loadXeroDocument(fileName);
    ajv.addSchema({ $id: id, components: document['components'] });
    found = { ajv, id, compiled: new Map() };
    registries.set(id, found);
  }
  return found;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  return `${where} ${error.message ?? 'is invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}`;
}

function validateWith(reg: Registry, schemaName: string, json: unknown): string[] {
  let validate = reg.compiled.get(schemaName);
  if (!validate) {
    validate = reg.ajv.getSchema(`${reg.id}#/components/schemas/${schemaName}`);
    if (!validate) throw new Error(`No schema ${schemaName} in ${reg.id}`);
    reg.compiled.set(schemaName, validate);
  }
  return validate(json) ? [] : (validate.errors ?? []).map(describe);
}

/** Errors of `json` against `components/schemas/<schemaName>` of xero_accounting.yaml; empty when valid. */
export function validateXero(schemaName: string, json: unknown): string[] {
  return validateWith(registry('xero', 'xero_accounting.yaml'), schemaName, json);
}

/** The same against xero-webhooks.yaml (WebhookEvent, CreditNoteWebhookEvent). */
export function validateXeroWebhook(schemaName: string, json: unknown): string[] {
  return validateWith(registry('xero-webhooks', 'xero-webhooks.yaml'), schemaName, json);
}

/** The same against xero-identity.yaml (Connection, …). */
export function validateXeroIdentity(schemaName: string, json: unknown): string[] {
  return validateWith(registry('xero-identity', 'xero-identity.yaml'), schemaName, json);
}
