import type { ConnectionSummary } from '../../../connections/list-connections.js';
import { html, type SafeHtml } from '../../../domain/html.js';

/**
 * A sync's progress in words. The app's script (script.ts, `syncWords`) says the same while it polls
 * `/api/connections`, so the page follows a running sync without a reload.
 */
export function progressWords(progress: ConnectionSummary['syncProgress']): string {
  if (!progress) return 'Waiting to start';
  const counts = `${progress.customers} customers, ${progress.invoices} invoices, ${progress.payments} payments`;
  const kind = progress.kind === 'full' ? 'full sync' : 'changes only';
  if (progress.phase === 'done') return `Done (${kind}): read ${counts}`;
  if (progress.phase === 'failed') return `Failed (${kind}) after ${counts}`;
  return `Reading ${progress.phase} (${kind}): ${counts} so far`;
}

const running = (connection: ConnectionSummary) =>
  connection.status === 'active' &&
  (!connection.syncProgress ||
    (connection.syncProgress.phase !== 'done' && connection.syncProgress.phase !== 'failed'));

/** The progress of one connection's sync, marked for the script to keep current while it runs. */
export function syncProgressText(connection: ConnectionSummary): SafeHtml {
  return html`<span data-sync-progress="${connection.id}"${running(connection) ? html` data-running="1"` : ''} aria-live="polite">${progressWords(connection.syncProgress)}</span>`;
}
