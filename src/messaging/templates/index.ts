export { richSampleContext, sampleContext } from './context.js';
export { defaultTemplate } from './defaults.js';
export { limits } from './engine.js';
export { formatIsoDate, formatMoney } from './filters.js';
export { mergeFieldHelp } from './help.js';
export { previewContext, previewEmail, renderEmail, validateTemplate } from './render.js';
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
