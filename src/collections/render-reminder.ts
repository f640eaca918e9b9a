// Reminders are rendered in src/messaging/render/ now; this keeps `localeOf` where the pages under
// src/web (being reworked by another hand) import it from. Delete once they import src/domain/locale.
export { localeOf } from '../domain/locale.js';
