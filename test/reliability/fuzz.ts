/**
 * Fuzz run of a live Dunwell (issue #17, reliability suite): fast-check sends hostile input to the
 * settings API and pages, template sources, the debtor portal, both vendors' webhooks (signed), and
 * serves hostile ledger data from the QuickBooks emulator through a sync and an evaluation.
 * Properties: no 5xx, the process does not crash, and a refused write leaves its tables unchanged.
 *
 *   tsx test/reliability/fuzz.ts                 # full (~10 minutes)
 *   RELIABILITY_SHORT=1 tsx test/reliability/fuzz.ts   # short (CI, under 2 minutes)
 *
 * Prints one JSON line per area and a summary line; exits 1 on any 5xx, crash, partial write or
 * sync/evaluation failing on our side, after printing each failing case (shrunk).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { LedgerError } from '../../connectors/errors.js';
import { createQuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { createLogger } from '../../src/logger.js';
import { syncConnection } from '../../src/sync/sync-connection.js';
import { Browser, startDunwell } from '../helpers/dunwell-harness.js';
import { portalClient } from '../helpers/portal.js';
import { quickBooksApp } from '../helpers/quickbooks-harness.js';
import { xeroApp } from '../helpers/xero-harness.js';
import {
  applyEdits,
  describe,
  encodeForm,
  encodeText,
  type FormCase,
  formCase,
  formFields,
  hostileCurrency,
  hostileDate,
  hostileFieldText,
  hostileJson,
  hostileLeaf,
  hostileNumber,
  hostileNumberText,
  hostileString,
  type JsonEdit,
  jsonEdits,
} from './fuzz-arbitraries.js';
import { AreaClient, type Failure, FuzzStats, Snapshots, scrapeForm } from './fuzz-client.js';
import { type HostileEntities, startLedgerProxy } from './fuzz-ledger-proxy.js';

const short = process.env['RELIABILITY_SHORT'] === '1';
const adminUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2_147_483_647);
/** Seconds per area (shrinking included), and a cap on cases. */
const budget = (shortSeconds: number, fullSeconds: number) => ({
  seconds: short ? shortSeconds : fullSeconds,
  numRuns: short ? 400 : 20_000,
});

/** FUZZ_AREAS=portal,ledger runs only those areas. */
const only = process.env['FUZZ_AREAS']?.split(',');
const trace = process.env['FUZZ_TRACE'] === '1';
const started = Date.now();
/** Dunwell's own log (errors, and the warnings routes log at their own level), for the stack of a 5xx. */
const logFile = process.env['FUZZ_LOG'] ?? path.join(tmpdir(), `dunwell-fuzz-${process.pid}.log`);
const stats = new FuzzStats();
const failures: Failure[] = [];
const crashNotes: string[] = [];
process.on('uncaughtException', (error) => {
  stats.crashes += 1;
  crashNotes.push(`uncaughtException: ${error.stack ?? String(error)}`);
});
process.on('unhandledRejection', (error) => {
  stats.crashes += 1;
  crashNotes.push(`unhandledRejection: ${error instanceof Error ? error.stack : String(error)}`);
});

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

// --- The company, the proxy that makes its data hostile, and Dunwell ------------------------------
const emulator = createQuickBooksEmulator({
  clientId: quickBooksApp.clientId,
  clientSecret: quickBooksApp.clientSecret,
  webhookVerifierToken: quickBooksApp.verifier,
});
await emulator.listen(0);
const realmId = emulator.addCompany({
  name: 'Fuzz Traders',
  homeCurrency: 'USD',
  country: 'US',
  customers: Array.from({ length: 6 }, (_, index) => ({
    id: String(index + 1),
    displayName: `Debtor ${index + 1}`,
    email: `debtor${index + 1}@example.com`,
  })),
  invoices: Array.from({ length: 12 }, (_, index) => ({
    customerId: String((index % 6) + 1),
    total: 10_000 + index * 1_234,
    status: index % 3 === 0 ? ('open' as const) : ('overdue' as const),
    dueDate: index % 3 === 0 ? days(5) : days(-5 - index * 7),
  })),
});
const proxy = await startLedgerProxy(emulator.url);
const dunwell = await startDunwell(
  adminUrl,
  {
    QUICKBOOKS_CLIENT_ID: quickBooksApp.clientId,
    QUICKBOOKS_CLIENT_SECRET: quickBooksApp.clientSecret,
    QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: quickBooksApp.verifier,
    QUICKBOOKS_EMULATOR_URL: proxy.url,
    XERO_CLIENT_ID: xeroApp.clientId,
    XERO_CLIENT_SECRET: xeroApp.clientSecret,
    XERO_WEBHOOK_KEY: xeroApp.webhookKey,
    // The portal's rate limit is per address: each fuzz request comes from an address of its own.
    TRUST_PROXY: 'true',
  },
  createLogger('error', pino.destination(logFile)),
);
const base = dunwell.runtime.url;
const snapshots = new Snapshots(dunwell.database.url);
const browser = new Browser();
const { connectionId } = await browser.connect(base, 'quickbooks');
await dunwell.waitForSync(connectionId, (row) => row.syncProgress?.phase === 'done');
const [{ org_id: orgId } = { org_id: '' }] = (
  await snapshots.query<{ org_id: string }>('select org_id from ledger_connections where id = $1', [
    connectionId,
  ])
).rows;
const session = { cookie: browser.cookie, csrf: browser.csrfToken ?? '' };
const debtors = (
  await snapshots.query<{ id: string; external_id: string }>(
    `select id, external_id from customers where org_id = $1 order by external_id`,
    [orgId],
  )
).rows;
const openInvoices = async (customerId: string) =>
  (
    await snapshots.query<{ id: string }>(
      'select id from invoices where org_id = $1 and customer_id = $2 order by due_date',
      [orgId, customerId],
    )
  ).rows.map((row) => row.id);
process.stderr.write(
  `fuzz: Dunwell at ${base}, organisation ${orgId}, seed ${seed}, ${short ? 'short' : 'full'}, log ${logFile}\n`,
);

// --- Running one area --------------------------------------------------------------------------
async function runArea<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  check: (client: AreaClient, input: T) => Promise<void>,
  limits: { seconds: number; numRuns: number },
) {
  if (only && !only.includes(name)) return;
  const client = new AreaClient(name, stats, base, session);
  const areaStart = Date.now();
  const details = await fc
    .check(
      fc.asyncProperty(arbitrary, async (input) => {
        client.startCase();
        if (trace)
          process.stderr.write(`${Date.now() - started} ${name}: ${describe(input).slice(0, 300)}\n`);
        const caseStart = Date.now();
        try {
          await check(client, input);
        } catch (error) {
          client.problems.push(`the check threw: ${error instanceof Error ? error.stack : String(error)}`);
        }
        if (trace)
          process.stderr.write(
            `  ${Date.now() - caseStart} ms ${client.problems.join(' / ').slice(0, 300)}\n`,
          );
        return client.problems.length === 0;
      }),
      {
        seed,
        numRuns: limits.numRuns,
        interruptAfterTimeLimit: limits.seconds * 1000,
        markInterruptAsFailure: false,
      },
    )
    .catch((error: unknown) => {
      // A bug of this script (an arbitrary that throws), not of Dunwell: stop loudly.
      process.stderr.write(
        `fuzz script error in ${name}: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(2);
    });
  if (details.failed && details.counterexample) {
    // Run the shrunk case once more for its problems.
    const [input] = details.counterexample;
    client.startCase();
    try {
      await check(client, input);
    } catch (error) {
      client.problems.push(`the check threw: ${String(error)}`);
    }
    const problems = client.problems.length > 0 ? client.problems : ['(did not fail again when re-run)'];
    stats.area(name).failures += 1;
    for (const problem of problems)
      failures.push({
        area: name,
        kind: problem.startsWith('5xx')
          ? '5xx'
          : problem.startsWith('partial')
            ? 'partial_write'
            : problem.startsWith('job')
              ? 'job_error'
              : 'no_answer',
        detail: problem,
        input: describe(input),
      });
    process.stderr.write(
      `\nFAILED ${name} (seed ${seed}, path ${details.counterexamplePath}, after ${details.numRuns} runs, ${details.numShrinks} shrinks):\n  input: ${describe(input)}\n  ${problems.join('\n  ')}\n`,
    );
  }
  const health = await fetch(`${base}/healthz`).catch(() => null);
  if (health?.status !== 200) {
    stats.crashes += 1;
    crashNotes.push(`after ${name}: /healthz answered ${health?.status ?? 'nothing'}`);
  }
  const area = stats.area(name);
  process.stdout.write(
    `${JSON.stringify({ bench: 'fuzz-area', area: name, seconds: Math.round((Date.now() - areaStart) / 100) / 10, ...area })}\n`,
  );
}

/** Sends a write and, unless it succeeded (`ok`), checks that none of `tables` changed. */
async function guardedWrite(
  client: AreaClient,
  tables: string[],
  send: () => Promise<{ status: number } | null>,
  ok: (status: number) => boolean,
) {
  const before = await snapshots.take(orgId, tables);
  const answer = await send();
  if (answer && ok(answer.status)) return answer;
  const changed = Snapshots.changed(before, await snapshots.take(orgId, tables));
  if (changed.length > 0)
    client.partialWrite(`answered ${answer?.status ?? 'nothing'} but ${changed.join(', ')} changed`);
  return answer;
}

/** An error's message, its cause's (PostgreSQL's own words under a Drizzle error) and where it was thrown. */
const errorText = (error: unknown): string =>
  error instanceof Error
    ? `${error.message.slice(0, 300)}${error.cause instanceof Error ? ` — caused by: ${error.cause.message}` : ''}\n${error.stack?.split('\n').slice(1, 6).join('\n')}`
    : String(error);

const json = (body: unknown) => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

// --- Settings API ----------------------------------------------------------------------------------
const settingsTables = ['organisations'];
const storedSettings = JSON.parse(
  (await (
    await fetch(`${base}/api/organisations/${orgId}/settings`, { headers: { cookie: session.cookie } })
  ).text()) as string,
) as { settings: unknown };
await runArea(
  'settings-api',
  fc.oneof(
    {
      weight: 5,
      arbitrary: jsonEdits(storedSettings.settings).map((edits) => ({ edits, whole: null as unknown })),
    },
    { weight: 1, arbitrary: hostileJson.map((whole) => ({ edits: [] as JsonEdit[], whole })) },
  ),
  async (client, input) => {
    const body = input.edits.length > 0 ? applyEdits(storedSettings.settings, input.edits) : input.whole;
    await guardedWrite(
      client,
      settingsTables,
      () => client.send(`/api/organisations/${orgId}/settings`, json(body)),
      (status) => status === 200,
    );
  },
  budget(8, 50),
);

// --- Policy API ------------------------------------------------------------------------------------
const policyTables = ['organisations', 'collection_policies', 'collection_steps'];
const storedPolicy = JSON.parse(
  await (
    await fetch(`${base}/api/organisations/${orgId}/policy`, { headers: { cookie: session.cookie } })
  ).text(),
) as { version: number; policy: unknown };
await runArea(
  'policy-api',
  fc.record({
    edits: jsonEdits(storedPolicy.policy),
    version: fc.oneof(
      { weight: 5, arbitrary: fc.constant('current' as const) },
      { weight: 1, arbitrary: hostileLeaf },
    ),
  }),
  async (client, input) => {
    const current = await client.send(`/api/organisations/${orgId}/policy`);
    const version = current?.status === 200 ? (JSON.parse(current.text) as { version: number }).version : 0;
    const body = {
      basedOnVersion: input.version === 'current' ? version : input.version,
      policy: applyEdits(storedPolicy.policy, input.edits),
    };
    await guardedWrite(
      client,
      policyTables,
      () => client.send(`/api/organisations/${orgId}/policy`, json(body)),
      (status) => status === 200,
    );
  },
  budget(8, 50),
);

// --- The settings pages' forms ------------------------------------------------------------------------
const formTables = [
  'organisations',
  'collection_policies',
  'collection_steps',
  'message_templates',
  'customers',
  'customer_contacts',
];
const customerId = debtors[0]?.id ?? randomUUID();
const forms = [
  { page: `/app/${orgId}/schedule`, action: `/app/${orgId}/schedule` },
  { page: `/app/${orgId}/money`, action: `/app/${orgId}/money` },
  { page: `/app/${orgId}/templates`, action: `/app/${orgId}/details` },
  { page: `/app/${orgId}/templates/firm`, action: `/app/${orgId}/templates/firm` },
  { page: `/app/${orgId}/templates/firm`, action: `/app/${orgId}/templates/firm/preview` },
  { page: `/app/${orgId}/customers/${customerId}`, action: `/app/${orgId}/customers/${customerId}` },
];
const formBases = new Map<string, Array<[string, string]>>();
for (const form of forms) {
  const page = await (await fetch(`${base}${form.page}`, { headers: { cookie: session.cookie } })).text();
  const fields =
    scrapeForm(page, form.action) ??
    (form.action.endsWith('/preview') ? scrapeForm(page, form.action.replace(/\/preview$/, '')) : null);
  if (!fields) throw new Error(`no form posting to ${form.action} on ${form.page}`);
  formBases.set(form.action, fields);
}
const allFormFields = [...new Set([...formBases.values()].flatMap((fields) => fields.map(([name]) => name)))];

async function postForm(
  client: AreaClient,
  action: string,
  baseFields: Array<[string, string]>,
  input: FormCase,
) {
  const fields = formFields(baseFields, input);
  const send = () => {
    if (!input.asJson)
      return client.send(action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: encodeForm(fields),
      });
    const body: Record<string, unknown> = Object.fromEntries(fields);
    for (const { field, value } of input.jsonValues) body[field] = value;
    return client.send(action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  };
  // A 303 is a save; a preview or a redrawn form (200) writes nothing, nor does a refusal.
  await guardedWrite(client, formTables, send, (status) => status === 303);
}

await runArea(
  'forms',
  fc
    .constantFrom(...forms.map((form) => form.action))
    .chain((action) => formCase(allFormFields).map((input) => ({ action, input }))),
  async (client, { action, input }) => postForm(client, action, formBases.get(action) ?? [], input),
  budget(20, 120),
);

// --- Template sources (Liquid + HTML) -----------------------------------------------------------------
const liquidPiece = fc.oneof(
  fc.constantFrom(
    '{{ customer.name }}',
    '{{ organisation.name | upcase }}',
    '{{ total }}',
    '{{ invoices | size }}',
    '{% for invoice in invoices %}{{ invoice.number }} {{ invoice.amount }}{% endfor %}',
    '{% for i in (1..100000000) %}x{% endfor %}',
    '{% for i in (1..1000) %}{% for j in (1..1000) %}{{ i }}{% endfor %}{% endfor %}',
    '{% assign s = "x" %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s }}',
    '{% include "x" %}',
    '{% render "../../../etc/passwd" %}',
    '{% layout "x" %}',
    '{{ "a" | repeat: 99999999 }}',
    '{{ 1 | divided_by: 0 }}',
    '{{ 1e308 | times: 1e308 }}',
    '{{ x | date: "%Y" }}',
    '{% if %}',
    '{% endfor %}',
    '{{',
    '}}',
    '{% raw %}',
    '{% comment %}',
    '{% liquid assign x = 1 %}',
    '{% capture c %}{% endcapture %}',
    '{{ customer["name"] }}',
    '{{ customer.constructor.constructor }}',
    '{{ this }}',
    '{% tablerow i in (1..10000000) %}{% endtablerow %}',
    '{% cycle "a", "b" %}',
    '{% increment x %}',
  ),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg><script>1</script></svg>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<form action="https://evil.example"><input name=x></form>',
    '<a href="javascript:alert(1)">x</a>',
    '<style>@import url(https://evil.example)</style>',
    '<div><div><div>',
    '</div></div>',
    '<!--',
    '<![CDATA[',
    '&#0;&#xD800;&nbsp;&bogus;',
    '<table><tr><td>',
    '<iframe src=//evil.example>',
    `${'<b>'.repeat(10_000)}`,
  ),
  hostileString,
);
const templateSource = fc.array(liquidPiece, { minLength: 0, maxLength: 8 }).map((parts) => parts.join(''));
await runArea(
  'templates',
  fc.record({
    name: fc.constantFrom('friendly', 'neutral', 'firm', 'formal', 'final', 'installment', 'settlement'),
    subject: fc.oneof(templateSource, fc.constant('Invoice {{ invoices | size }}')),
    text: templateSource,
    save: fc.boolean(),
    debtor: fc.oneof(fc.constantFrom('', ...debtors.map((debtor) => debtor.id)), hostileString),
  }),
  async (client, input) => {
    const csrf = formBases.get(`/app/${orgId}/templates/firm`)?.find(([name]) => name === '_csrf')?.[1] ?? '';
    const fields: Array<[string, string]> = [
      ['_csrf', csrf],
      ['subject', input.subject],
      ['text', input.text],
      ['debtor', input.debtor],
    ];
    const preview = () =>
      client.send(`/app/${orgId}/templates/${input.name}/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: encodeForm(fields),
      });
    await guardedWrite(client, formTables, preview, () => false);
    if (input.save)
      await guardedWrite(
        client,
        formTables,
        () =>
          client.send(`/app/${orgId}/templates/${input.name}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: encodeForm([...fields, ['op', 'save']]),
          }),
        (status) => status === 303,
      );
  },
  budget(10, 60),
);

// --- The debtor portal -----------------------------------------------------------------------------
const portal = portalClient(dunwell);
const portalTables = [
  'payment_promises',
  'payment_plans',
  'disputes',
  'dispute_invoices',
  'settlements',
  'collection_tasks',
  'activity_log',
  'customers',
  'outbound_messages',
];
const portalDebtors = await Promise.all(
  debtors.map(async (debtor) => ({
    id: debtor.id,
    token: portal.tokenFor(orgId, debtor.id),
    invoices: await openInvoices(debtor.id),
  })),
);
const invoiceValue = (invoices: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: invoices.length > 0 ? fc.constantFrom(...invoices) : fc.constant(randomUUID()) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: hostileFieldText },
  );
const portalCase = fc.integer({ min: 0, max: Math.max(0, portalDebtors.length - 1) }).chain((index) => {
  const debtor = portalDebtors[index] ?? { id: randomUUID(), token: 'x'.repeat(30), invoices: [] };
  const dateText = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -5, max: 90 }).map(days) },
    { weight: 2, arbitrary: hostileDate },
    { weight: 1, arbitrary: hostileFieldText },
  );
  const common = {
    debtor: fc.constant(debtor),
    token: fc.oneof(
      { weight: 8, arbitrary: fc.constant(debtor.token) },
      {
        weight: 1,
        arbitrary: hostileString.map((text) => encodeText(text.slice(0, 700)).slice(0, 2000)),
      },
      { weight: 1, arbitrary: fc.constant(`${debtor.token.slice(0, -2)}zz`) },
    ),
    invoices: fc.array(invoiceValue(debtor.invoices), { maxLength: 3 }),
    extra: fc.array(fc.tuple(fc.string({ maxLength: 10 }), hostileFieldText), { maxLength: 2 }),
    asJson: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
    missing: fc.array(fc.string({ maxLength: 12 }), { maxLength: 2 }),
  };
  return fc.oneof(
    fc.record({
      form: fc.constant('promise' as const),
      fields: fc.record({ promisedDate: dateText }),
      ...common,
    }),
    fc.record({
      form: fc.constant('plan' as const),
      fields: fc.record({
        installments: fc.oneof(fc.integer({ min: 1, max: 12 }).map(String), hostileNumberText),
        firstDate: dateText,
      }),
      ...common,
    }),
    fc.record({
      form: fc.constant('dispute' as const),
      fields: fc.record({
        reason: fc.oneof(
          fc.constantFrom('already_paid', 'wrong_amount', 'not_received', 'quality', 'other'),
          hostileFieldText,
        ),
        message: fc.oneof(fc.string({ maxLength: 100 }), hostileString),
      }),
      ...common,
    }),
    fc.record({
      form: fc.constant('opt-out' as const),
      fields: fc.constant({} as Record<string, string>),
      ...common,
    }),
  );
});
let address = 0;
await runArea(
  'portal',
  portalCase,
  async (client, input) => {
    const fields: Array<[string, string]> = [
      ...Object.entries(input.fields as Record<string, string>).filter(
        ([name]) => !input.missing.includes(name),
      ),
      ...input.invoices.map((invoice): [string, string] => ['invoice', invoice]),
      ...input.extra,
    ];
    address += 1;
    const headers = {
      'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
    };
    const send = () =>
      client.send(`/portal/${input.token}/${input.form}`, {
        anonymous: true,
        method: 'POST',
        headers: input.asJson
          ? { ...headers, 'content-type': 'application/json' }
          : { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: input.asJson
          ? JSON.stringify(Object.fromEntries(fields.map(([name, value]) => [name, value])))
          : encodeForm(fields),
      });
    await guardedWrite(client, portalTables, send, (status) =>
      input.form === 'opt-out' ? status === 200 : status === 303,
    );
  },
  budget(12, 80),
);

// --- Webhooks, signed so they reach the parsers ------------------------------------------------------
const sign = (body: Buffer, secret: string) => createHmac('sha256', secret).update(body).digest('base64');
const eventField = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 3, arbitrary: good as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: hostileLeaf },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
const quickBooksEvent = fc.oneof(
  fc.record({
    specversion: eventField(fc.constant('1.0')),
    id: eventField(fc.uuid()),
    source: eventField(fc.constant('intuit.fuzz')),
    type: eventField(
      fc.constantFrom(
        'qbo.invoice.updated.v1',
        'qbo.customer.created.v1',
        'qbo.payment.deleted.v1',
        'qbo.nothing.v1',
      ),
    ),
    time: eventField(fc.date({ noInvalidDate: true }).map((date) => date.toISOString())),
    intuitentityid: eventField(fc.integer({ min: 1, max: 1e6 }).map(String)),
    intuitaccountid: eventField(fc.constantFrom('9130355377384706', '123', realmId)),
    data: eventField(fc.constant({})),
  }),
  hostileJson,
);
const legacyBody = fc.record({
  eventNotifications: fc.array(
    fc.record({
      realmId: eventField(fc.constantFrom('9130355377384706', realmId)),
      dataChangeEvent: eventField(
        fc.record({
          entities: eventField(
            fc.array(
              fc.record({
                name: eventField(fc.constantFrom('Invoice', 'Customer', 'Payment', 'CreditMemo', 'Bogus')),
                id: eventField(fc.integer({ min: 1, max: 1e6 }).map(String)),
                operation: eventField(
                  fc.constantFrom('Create', 'Update', 'Delete', 'Merge', 'Void', 'Emailed'),
                ),
                lastUpdated: eventField(hostileDate),
              }),
              { maxLength: 4 },
            ),
          ),
        }),
      ),
    }),
    { maxLength: 3 },
  ),
});
const rawBody = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: hostileString.map((text) => Buffer.from(text, 'utf8')) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('', '[', '{"a":', 'null', '[]', '{}', '"x"', '1e999', '[[[[[[[[[[]]]]]]]]]]')
      .map((text) => Buffer.from(text)),
  },
);
const webhookMeta = {
  contentType: fc.constantFrom(
    'application/json',
    'application/cloudevents-batch+json',
    'application/cloudevents+json',
    'text/plain',
    'application/octet-stream',
    '',
  ),
  signature: fc.oneof(
    { weight: 8, arbitrary: fc.constant('right' as const) },
    { weight: 1, arbitrary: fc.constant('wrong' as const) },
    { weight: 1, arbitrary: fc.constant('none' as const) },
  ),
  raw: rawBody,
};
async function postWebhook(
  client: AreaClient,
  vendor: 'quickbooks' | 'xero',
  input: { body: unknown; contentType: string; signature: 'right' | 'wrong' | 'none'; raw: Buffer | null },
) {
  const body = input.raw ?? Buffer.from(JSON.stringify(input.body) ?? 'null', 'utf8');
  const header = vendor === 'quickbooks' ? 'intuit-signature' : 'x-xero-signature';
  const secret = vendor === 'quickbooks' ? quickBooksApp.verifier : xeroApp.webhookKey;
  const headers: Record<string, string> = {};
  if (input.contentType) headers['content-type'] = input.contentType;
  if (input.signature === 'right') headers[header] = sign(body, secret);
  if (input.signature === 'wrong') headers[header] = sign(body, `${secret}x`);
  // The inbox is shared and routing jobs take its rows: a refused post must add none.
  const since = (await snapshots.query<{ at: string }>('select clock_timestamp()::text as at', [])).rows[0]
    ?.at;
  const answer = await client.send(`/webhooks/${vendor}`, { anonymous: true, method: 'POST', headers, body });
  if (answer && answer.status !== 200) {
    const added = await snapshots.query<{ count: number }>(
      'select count(*)::int as count from webhook_inbox where vendor = $1 and received_at >= $2::timestamptz',
      [vendor, since],
    );
    if ((added.rows[0]?.count ?? 0) > 0)
      client.partialWrite(`answered ${answer.status} but ${added.rows[0]?.count} inbox rows were added`);
  }
}
await runArea(
  'webhooks-quickbooks',
  fc.record({
    body: fc.oneof(fc.array(quickBooksEvent, { maxLength: 4 }), quickBooksEvent, legacyBody, hostileJson),
    ...webhookMeta,
  }),
  (client, input) => postWebhook(client, 'quickbooks', input),
  budget(6, 40),
);
const xeroEvent = fc.oneof(
  fc.record({
    resourceUrl: eventField(fc.webUrl()),
    resourceId: eventField(fc.uuid()),
    eventDateUtc: eventField(
      fc.oneof(
        hostileDate,
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      ),
    ),
    eventType: eventField(fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'BOGUS')),
    eventCategory: eventField(fc.constantFrom('INVOICE', 'CONTACT', 'SUBSCRIPTION', 'X')),
    tenantId: eventField(fc.uuid()),
    tenantType: eventField(fc.constantFrom('ORGANISATION', 'PRACTICE')),
  }),
  hostileJson,
);
await runArea(
  'webhooks-xero',
  fc.record({
    body: fc.oneof(
      fc.record({
        events: eventField(fc.array(xeroEvent, { maxLength: 4 })),
        firstEventSequence: eventField(hostileNumber),
        lastEventSequence: eventField(hostileNumber),
        entropy: eventField(fc.string()),
      }),
      hostileJson,
    ),
    ...webhookMeta,
  }),
  (client, input) => postWebhook(client, 'xero', input),
  budget(6, 40),
);

// --- Hostile ledger data through a sync, an evaluation and the pages that show it ----------------------
const company = emulator.company(realmId);
const customerTemplate = company.customers[0] as unknown;
const invoiceTemplate = company.invoices[0] as unknown;
const targeted = (fields: Array<{ path: Array<string | number>; value: fc.Arbitrary<unknown> }>) =>
  fc.array(
    fc.oneof(
      ...fields.map((field) =>
        fc.oneof(
          { weight: 4, arbitrary: field.value.map((value) => ({ path: field.path, value }) as JsonEdit) },
          { weight: 1, arbitrary: hostileLeaf.map((value) => ({ path: field.path, value }) as JsonEdit) },
          { weight: 1, arbitrary: fc.constant({ path: field.path, remove: true } as JsonEdit) },
        ),
      ),
    ),
    { minLength: 1, maxLength: 4 },
  );
const customerEdits = fc.oneof(
  {
    weight: 4,
    arbitrary: targeted([
      { path: ['DisplayName'], value: hostileString },
      { path: ['CompanyName'], value: hostileString },
      { path: ['PrimaryEmailAddr', 'Address'], value: hostileString },
      { path: ['CurrencyRef', 'value'], value: hostileCurrency },
      { path: ['Balance'], value: hostileNumber },
      { path: ['Active'], value: hostileLeaf },
      { path: ['MetaData', 'LastUpdatedTime'], value: hostileDate },
      { path: ['BillAddr'], value: fc.record({ Country: hostileString, City: hostileString }) },
      { path: ['Id'], value: hostileString },
    ]),
  },
  { weight: 1, arbitrary: jsonEdits(customerTemplate) },
);
const invoiceEdits = fc.oneof(
  {
    weight: 4,
    arbitrary: targeted([
      { path: ['TotalAmt'], value: hostileNumber },
      { path: ['Balance'], value: hostileNumber },
      { path: ['DueDate'], value: hostileDate },
      { path: ['TxnDate'], value: hostileDate },
      { path: ['CurrencyRef', 'value'], value: hostileCurrency },
      { path: ['DocNumber'], value: hostileString },
      { path: ['BillEmail', 'Address'], value: hostileString },
      { path: ['CustomerRef', 'value'], value: hostileString },
      { path: ['Line'], value: hostileJson },
      { path: ['LinkedTxn'], value: hostileJson },
      { path: ['MetaData', 'LastUpdatedTime'], value: hostileDate },
    ]),
  },
  { weight: 1, arbitrary: jsonEdits(invoiceTemplate) },
);
let ledgerCase = 0;
await runArea(
  'ledger',
  fc.record({
    customers: fc.array(customerEdits, { minLength: 1, maxLength: 3 }),
    invoices: fc.array(invoiceEdits, { minLength: 0, maxLength: 3 }),
  }),
  async (client, entities: HostileEntities) => {
    ledgerCase += 1;
    const prefix = `9${ledgerCase}0`;
    proxy.inject(entities, prefix);
    try {
      try {
        await syncConnection(dunwell.runtime.ledger, connectionId, 'full');
      } catch (error) {
        // A vendor answer refused in words is the design; anything else failed on our side.
        if (!(error instanceof LedgerError)) client.jobError(`full sync: ${errorText(error)}`);
      }
      try {
        await evaluateOrganisation(dunwell.runtime.database.db, orgId, { now: new Date() });
      } catch (error) {
        client.jobError(`evaluation: ${errorText(error)}`);
      }
      const hostile = (
        await snapshots.query<{ id: string }>(
          'select id from customers where org_id = $1 and external_id like $2',
          [orgId, `${prefix}%`],
        )
      ).rows;
      await client.send(`/app/${orgId}`);
      await client.send(`/app/${orgId}/customers?sort=balance`);
      await client.send(`/app/${orgId}/review`);
      for (const { id } of hostile.slice(0, 2)) {
        await client.send(`/app/${orgId}/customers/${id}`);
        await client.send(`/portal/${portal.tokenFor(orgId, id)}`, {
          anonymous: true,
          headers: { 'x-forwarded-for': `10.200.${ledgerCase & 255}.1` },
        });
        await client.send(`/app/${orgId}/templates/firm?debtor=${id}`);
      }
    } finally {
      proxy.inject(null, prefix);
    }
  },
  budget(20, 90),
);

// --- Summary ---------------------------------------------------------------------------------------
const totals = stats.totals();
for (const note of crashNotes) {
  failures.push({ area: 'process', kind: 'crash', detail: note });
  process.stderr.write(`\nCRASH: ${note}\n`);
}
process.stdout.write(
  `${JSON.stringify({
    bench: 'fuzz',
    mode: short ? 'short' : 'full',
    seed,
    seconds: Math.round((Date.now() - started) / 1000),
    cases: totals.cases,
    requests: totals.requests,
    status_counts: totals.status_counts,
    five_xx: totals.five_xx,
    crashes: stats.crashes,
    partial_writes: totals.partial_writes,
    job_errors: totals.job_errors,
    failing_cases: failures.length,
  })}\n`,
);
for (const failure of failures)
  process.stdout.write(`${JSON.stringify({ bench: 'fuzz-failure', ...failure })}\n`);

await snapshots.close();
await dunwell.stop();
await proxy.close();
await emulator.close();
process.exit(
  totals.five_xx + stats.crashes + totals.partial_writes + totals.job_errors > 0 || failures.length > 0
    ? 1
    : 0,
);
