export { bodyConventions, bodyToHtml } from './body.js';
export { richSampleContext, sampleContext } from './context.js';
export { defaultTemplate } from './defaults.js';
export { limits } from './engine.js';
export { formatIsoDate, formatMoney } from './filters.js';
export { mergeFieldHelp } from './help.js';
export { previewEmail, renderEmail, validateTemplate } from './pool.js';
export { previewContext } from './render.js';
export { sanitizeEmailHtml } from './sanitize.js';
export type {
  Money,
  NextAction,
  RenderedEmail,
  SpecialTemplate,
  Template,
  TemplateContext,
  TemplateName,
  Tone,
} from './types.js';
export { TemplateError } from './types.js';
