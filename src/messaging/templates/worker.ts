/**
 * The render worker: what runs on a worker thread of the template pool (`pool.ts`). Rendering is
 * CPU work on text a business wrote, so it never runs on the event loop that answers HTTP.
 */
import { renderEmailSync, validateTemplateSync } from './render.js';
import { type RenderedEmail, type Template, type TemplateContext, TemplateError } from './types.js';

export type RenderTask =
  | { kind: 'ping' }
  | { kind: 'render'; template: Template; context: TemplateContext }
  | { kind: 'validate'; template: Template };

/** Errors do not keep their class across threads, so a template's problems come back as data. */
export type RenderOutcome =
  | { ok: true; email: RenderedEmail }
  | { ok: true; email: null }
  | { ok: false; problems: string[] };

export default function run(task: RenderTask): RenderOutcome {
  if (task.kind === 'ping') return { ok: true, email: null };
  if (task.kind === 'validate') {
    const result = validateTemplateSync(task.template);
    return result.ok ? { ok: true, email: null } : result;
  }
  try {
    return { ok: true, email: renderEmailSync(task.template, task.context) };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, problems: error.problems };
    throw error;
  }
}
