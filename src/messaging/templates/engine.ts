import {
  analyzeSync,
  Context,
  type Emitter,
  Liquid,
  LiquidError,
  type LiquidOptions,
  type Template as ParsedTemplate,
  toValue,
  toValueSync,
} from 'liquidjs';
import type { Shape } from './context.js';
import { customFilters } from './filters.js';
import { markMerged } from './merged.js';
import type { TemplatePart } from './types.js';

/** Limits on what one part may cost. Real reminders render in well under a millisecond per invoice. */
export const limits = {
  /** Source size of each part, in UTF-8 bytes. */
  sourceBytes: 20 * 1024,
  /** Rendered size of the body, in characters. */
  outputChars: 2_000_000,
  subjectChars: 200,
  /** Wall-clock time for rendering one part (Liquid's own check, between tags). */
  renderMs: 1_000,
  /**
   * Wall-clock time for one task on a render worker (an email, or every check of a template),
   * enforced from outside: the worker is stopped, whatever the template is doing.
   */
  taskMs: 3_000,
  /** Heap of a render worker; a template that needs more stops its worker. */
  workerHeapMb: 256,
} as const;

const options: LiquidOptions = {
  // A typo in a merge field or filter is an error, caught when the template is saved.
  strictVariables: true,
  strictFilters: true,
  // Also in `if`: a misspelt field there would otherwise be silently false.
  lenientIf: false,
  // Only the context's own data: no `constructor`, `__proto__` or other prototype members.
  ownPropertyOnly: true,
  // An empty in-memory template store: nothing is ever read from the file system (the tags that
  // would read templates are removed below as well).
  templates: {},
  relativeReference: false,
  dynamicPartials: false,
  // Denial-of-service bounds: source length per parse, time per render, and allocations
  // (ranges, string building) per render, so a loop of 10^7 fails at once rather than hanging.
  parseLimit: 64 * 1024,
  renderLimit: limits.renderMs,
  memoryLimit: 4_000_000,
  // Every merged value is marked where it starts and ends (`merged.ts`): the HTML email shows a value
  // from the ledger as text, never as a link or a list, whatever it holds.
  outputEscape: (value: unknown) => markMerged(stringify(value)),
};

/** Tags that load other templates (files) and would need a file system. */
const removedTags = ['include', 'render', 'layout', 'block'];
/** Filters that read the clock or a random source: a render must be deterministic. */
const removedFilters = [
  'sample',
  'date_to_xmlschema',
  'date_to_rfc822',
  'date_to_string',
  'date_to_long_string',
];

/** As Liquid writes a value. */
function stringify(value: unknown): string {
  const resolved: unknown = toValue(value);
  if (typeof resolved === 'string') return resolved;
  if (resolved === null || resolved === undefined) return '';
  if (Array.isArray(resolved)) return resolved.map(stringify).join('');
  return String(resolved);
}

const identity = (value: unknown) => value;

/**
 * The one engine: every part is plain text (the body is escaped when it becomes HTML, after Liquid;
 * see `body.ts`), so values are written as they are.
 */
function createLiquid(): Liquid {
  const liquid = new Liquid(options);
  for (const tag of removedTags) Reflect.deleteProperty(liquid.tags, tag);
  for (const filter of removedFilters) liquid.unregisterFilter(filter);
  for (const [name, filter] of Object.entries(customFilters)) liquid.registerFilter(name, filter);
  // The body is escaped once, when it becomes HTML; escaping in Liquid too would show "&amp;lt;" to
  // the reader of the HTML email and "&lt;" to the reader of the text one.
  for (const name of ['escape', 'escape_once', 'xml_escape']) liquid.registerFilter(name, identity);
  return liquid;
}

const liquid = createLiquid();

// Parsed templates are immutable and reused across renders (a batch renders one source many times).
const parsed = new Map<string, ParsedTemplate[]>();

export function parse(source: string): ParsedTemplate[] {
  let templates = parsed.get(source);
  if (templates === undefined) {
    templates = liquid.parse(source);
    if (parsed.size >= 200) {
      const oldest = parsed.keys().next();
      if (!oldest.done) parsed.delete(oldest.value);
    }
    parsed.set(source, templates);
  }
  return templates;
}

const OUTPUT_LIMIT = 'output size limit exceeded';

/** Liquid's own emitter, stopping the render as soon as the output passes the limit. */
class CappedEmitter implements Emitter {
  buffer = '';

  write(html: unknown): void {
    this.buffer += stringify(html);
    if (this.buffer.length > limits.outputChars) throw new Error(OUTPUT_LIMIT);
  }
}

/** A part as Liquid wrote it, each merged value marked (`merged.ts`); `unmark` gives the plain text. */
export function render(source: string, scope: object): string {
  const context = new Context(scope, liquid.options, { sync: true }, { liquid });
  const output: unknown = toValueSync(
    liquid.renderer.renderTemplates(parse(source), context, new CappedEmitter()),
  );
  return typeof output === 'string' ? output : String(output);
}

const partNames: Record<TemplatePart, string> = { subject: 'Subject', text: 'Body' };

export function partName(part: TemplatePart): string {
  return partNames[part];
}

function plainMessage(message: string): string {
  const rewrites: Array<[RegExp, (match: RegExpExecArray) => string]> = [
    [/^undefined variable: (.+)$/, (m) => `unknown merge field "${m[1]}"`],
    [/^undefined filter: (.+)$/, (m) => `unknown filter "${m[1]}"`],
    [
      /^tag "(include|render|layout|block)" not found$/,
      (m) => `the "${m[1]}" tag is not available in email templates`,
    ],
    [/^tag "(.+)" not found$/, (m) => `unknown tag "${m[1]}"`],
    [
      /^memory alloc limit exceeded$/,
      () => 'the template does too much work (a loop or text that grows too large)',
    ],
    [/^template render limit exceeded$/, () => 'the template takes too long to render'],
    [/^parse length limit exceeded$/, () => 'the template is too long'],
    [
      new RegExp(`^${OUTPUT_LIMIT}$`),
      () => `the rendered email is larger than ${limits.outputChars / 1_000_000} MB`,
    ],
  ];
  for (const [pattern, rewrite] of rewrites) {
    const match = pattern.exec(message);
    if (match) return rewrite(match);
  }
  return message;
}

/** One readable sentence for a parse or render failure: part, line and column, what is wrong. */
export function describeError(part: TemplatePart, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const located = LiquidError.is(error) ? /^([\s\S]*?), line:(\d+), col:(\d+)$/.exec(raw) : null;
  if (located) {
    return `${partName(part)}, line ${located[2]}, column ${located[3]}: ${plainMessage(located[1] ?? raw)}`;
  }
  return `${partName(part)}: ${plainMessage(raw)}`;
}

function knownPath(shape: Shape, segments: readonly unknown[]): boolean {
  let node: Shape = shape;
  for (const segment of segments) {
    // A computed index (`invoices[i]`) cannot be checked statically; rendering checks it.
    if (typeof segment !== 'string' && typeof segment !== 'number') return true;
    if (node === 'value') {
      if (segment === 'size' || segment === 'first' || segment === 'last') continue;
      return false;
    }
    if (Array.isArray(node)) {
      if (segment === 'size') node = 'value';
      else if (typeof segment === 'number' || segment === 'first' || segment === 'last') node = node[0];
      else return false;
      continue;
    }
    const child: Shape | undefined = Object.hasOwn(node, segment)
      ? (node as Record<string, Shape>)[segment]
      : undefined;
    if (child === undefined) return false;
    node = child;
  }
  return true;
}

/**
 * Merge fields the template reads that the context does not have, found without rendering, so a
 * misspelt field inside a branch that no sample reaches is still reported.
 */
export function unknownFields(part: TemplatePart, templates: ParsedTemplate[], shape: Shape): string[] {
  const problems: string[] = [];
  const analysis = analyzeSync(templates, { partials: false });
  for (const variables of Object.values(analysis.globals)) {
    for (const variable of variables) {
      if (knownPath(shape, variable.segments)) continue;
      const { row, col } = variable.location;
      problems.push(
        `${partName(part)}, line ${row}, column ${col}: unknown merge field "${variable.toString()}"`,
      );
    }
  }
  return problems;
}
