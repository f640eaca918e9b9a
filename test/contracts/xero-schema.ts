/**
 * Validates raw (PascalCase, wire) JSON against Xero's official OpenAPI descriptions in
 * shared/reference/xero (see SOURCE.md there):
 *
 *   validateXero('Invoices', json)          // → [] when valid, else readable error strings
 *   validateXeroWebhook('WebhookEvent', json)
 *
 * The YAML is parsed once per process. No YAML parser is a dependency of the project, so the loader uses the
 * first that is available: the `yaml` or `js-yaml` package if installed, else Python's PyYAML (python3, which the
 * machines have). The parsed JSON is cached in the OS temp directory, keyed by the YAML's hash.
 * Ajv runs with `strict: false` on `{ $id: 'xero', components }` and compiles `xero#/components/schemas/<Name>`
 * (full dereferencing overflows on the circular schemas). The schemas allow extra properties and carry no length
 * limits; formats are checked for uuid (other formats are accepted as they are).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const here = dirname(fileURLToPath(import.meta.url));
/** shared/ sits beside the repository (/work/main → /work/shared). XERO_REFERENCE_DIR overrides. */
export const XERO_REFERENCE_DIR =
  process.env['XERO_REFERENCE_DIR'] ?? resolve(here, '../../../shared/reference/xero');

const PYTHON_TO_JSON = [
  'import json, sys, yaml',
  'Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)',
  'json.dump(yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=Loader), sys.stdout, default=str)',
].join('\n');

function parseWithPackage(text: string): unknown | undefined {
  const require = createRequire(import.meta.url);
  for (const name of ['yaml', 'js-yaml']) {
    try {
      const parser = require(name) as { parse?: (t: string) => unknown; load?: (t: string) => unknown };
      if (typeof parser.parse === 'function') return parser.parse(text);
      if (typeof parser.load === 'function') return parser.load(text);
    } catch {
      // not installed: try the next parser
    }
  }
  return undefined;
}

function parseWithPython(path: string): unknown | undefined {
  for (const python of ['python3', '/usr/bin/python3', 'python']) {
    try {
      const out = execFileSync(python, ['-c', PYTHON_TO_JSON, path], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      return JSON.parse(out);
    } catch {
      // no python, or no PyYAML: try the next one
    }
  }
  return undefined;
}

const documents = new Map<string, Record<string, unknown>>();

/** The YAML file as a JavaScript object (parsed once, cached in memory and in the temp directory). */
export function loadXeroDocument(fileName: string): Record<string, unknown> {
  const cached = documents.get(fileName);
  if (cached) return cached;
  const path = join(XERO_REFERENCE_DIR, fileName);
  const text = readFileSync(path, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const cacheFile = join(tmpdir(), `dunwell-${fileName.replace(/\W+/g, '-')}-${hash}.json`);
  let document: unknown;
  if (existsSync(cacheFile)) {
    try {
      document = JSON.parse(readFileSync(cacheFile, 'utf8'));
    } catch {
      document = undefined;
    }
  }
  if (document === undefined) {
    document = parseWithPackage(text) ?? parseWithPython(path);
    if (document === undefined) {
      throw new Error(
        `Cannot parse ${path}: install the "yaml" package, or make python3 with PyYAML available`,
      );
    }
    // Written aside then renamed, so a parallel test worker never reads half a file.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(document));
    renameSync(partial, cacheFile);
  }
  documents.set(fileName, document as Record<string, unknown>);
  return document as Record<string, unknown>;
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
