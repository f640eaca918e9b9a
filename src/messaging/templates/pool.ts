import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';
import { Piscina } from 'piscina';
import { limits } from './engine.js';
import { previewContext } from './render.js';
import { rememberSanitized } from './sanitize.js';
import { type RenderedEmail, type Template, type TemplateContext, TemplateError } from './types.js';
import type { RenderOutcome, RenderTask } from './worker.js';

/**
 * Where the worker is and how it loads: next to this file, as `.ts` when running from source (tsx,
 * vitest; the worker thread then loads tsx itself) and as `.js` in the compiled build.
 */
function workerEntry(): { filename: string; execArgv?: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(`./worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  return fromSource ? { filename, execArgv: ['--import', import.meta.resolve('tsx')] } : { filename };
}

const threads = Math.min(4, Math.max(2, availableParallelism() - 1));

let pool: { workers: Piscina<RenderTask, RenderOutcome>; started: Promise<unknown> } | undefined;

async function workers(): Promise<Piscina<RenderTask, RenderOutcome>> {
  if (pool === undefined) {
    const created = new Piscina<RenderTask, RenderOutcome>({
      ...workerEntry(),
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 30_000,
      resourceLimits: { maxOldGenerationSizeMb: limits.workerHeapMb, maxYoungGenerationSizeMb: 32 },
    });
    // The first worker's start (slower from source, where it compiles TypeScript) is not
    // counted against the first render's time limit.
    // A pool whose worker cannot start is dropped, so the next render tries again.
    const started = created.run({ kind: 'ping' }).catch(async (error: unknown) => {
      pool = undefined;
      await created.destroy();
      throw error;
    });
    pool = { workers: created, started };
  }
  await pool.started;
  return pool.workers;
}

// Tasks wait here rather than in the pool, so a task's time limit counts its own run only, not
// the queue in front of it (a delivery run renders many reminders at once).
const waiting = new PQueue({ concurrency: threads });

const tooSlow = `This template took too long to render (the limit is ${limits.taskMs / 1000} seconds): look for loops over large ranges or nested loops`;
const tooBig = 'This template needs too much memory to render: look for loops or text that grows very large';

/** Runs one task on a render worker, stopping the worker when the task outlives `timeoutMs`. */
export function runOnWorker(task: RenderTask, timeoutMs: number = limits.taskMs): Promise<RenderOutcome> {
  return waiting.add(async () => {
    try {
      const running = await workers();
      return await running.run(task, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw new TemplateError([tooSlow]);
      if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY')
        throw new TemplateError([tooBig]);
      throw error;
    }
  });
}

/**
 * Renders one email on a render worker, off the event loop, within the limits of `limits`. Liquid
 * fills in the subject and the one body; the text email is that body in Dunwell's frame, and the HTML
 * email the same body escaped and made HTML (paragraphs, lists, links) in the HTML frame, through the
 * email allow-list. The same template and context always give the same email. Rejects with a
 * TemplateError with readable problems when the template or the context is not usable, or the
 * render takes too long or too much memory.
 */
export async function renderEmail(template: Template, context: TemplateContext): Promise<RenderedEmail> {
  const outcome = await runOnWorker({ kind: 'render', template, context });
  if (!outcome.ok) throw new TemplateError(outcome.problems);
  if (outcome.email === null) throw new Error('The render worker returned no email');
  // The worker sanitised it: the transport need not do it again (see `cleanEmailHtml`).
  rememberSanitized(outcome.email.html);
  return outcome.email;
}

/** Renders a template against the realistic sample debtor, with any parts of the context replaced. */
export function previewEmail(template: Template, sample?: Partial<TemplateContext>): Promise<RenderedEmail> {
  return renderEmail(template, previewContext(sample));
}

/**
 * Whether a template can be saved: it parses, uses only known merge fields and filters, stays within
 * the size limits, and renders against the sample debtors (with and without every optional field) to
 * a one-line subject and a body of plain text (HTML tags in it would be shown as written, so they are
 * pointed out). The link to the debtor's page, where they can pay in part, promise a date, ask for a
 * plan or dispute, is in every email's frame, whatever the body says. Checked on a render worker.
 */
export async function validateTemplate(
  template: Template,
): Promise<{ ok: true } | { ok: false; problems: string[] }> {
  try {
    const outcome = await runOnWorker({ kind: 'validate', template });
    return outcome.ok ? { ok: true } : outcome;
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, problems: error.problems };
    throw error;
  }
}
