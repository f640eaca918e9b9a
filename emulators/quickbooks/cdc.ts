/**
 * Change data capture: `GET /cdc?entities=Invoice,Customer&changedSince=ISO`.
 *
 * Shape, from Intuit's CDC page example:
 *   {"CDCResponse":[{"QueryResponse":[{"Customer":[…],"startPosition":1,"maxResults":2},
 *                                     {"Estimate":[…,{"domain":"QBO","status":"Deleted","Id":"979",
 *                                       "MetaData":{"LastUpdatedTime":"…"}}],…}]}],"time":"…"}
 * One QueryResponse block per requested entity, in the order asked; a block with no changes is `{}`.
 *
 * Rules: changedSince is inclusive (an entity changed at exactly that second is returned again — clients must
 * tolerate repeats, as they must with Intuit); it may not be more than 30 days back (Intuit answers
 * "Operation cdc with changedSince date … which is older than fixed days is not supported"); a response holds
 * at most 1000 objects across all entities — past that the oldest 1000 changes (by LastUpdatedTime) are returned
 * and the rest dropped, so a client must narrow the window (e.g. restart from the newest LastUpdatedTime seen).
 */
import { invalidValue, requiredParam } from './faults.js';
import { entityDef } from './query/entities.js';
import type { Company } from './store/company.js';
import { renderTombstone } from './store/wire.js';
import { DAY, parseTimestamp } from './time.js';
import type { EntityName } from './types.js';

export const CDC_MAX_OBJECTS = 1000;
export const CDC_MAX_DAYS = 30;

interface Change {
  entity: EntityName;
  at: number;
  id: number;
  render: () => unknown;
}

export function runCdc(
  company: Company,
  entitiesParam: string | undefined,
  since: string | undefined,
  now: number,
) {
  if (!entitiesParam) throw requiredParam('entities');
  if (!since) throw requiredParam('changedSince');
  const sinceMs = parseTimestamp(since);
  if (Number.isNaN(sinceMs)) throw invalidValue('changedSince', `Invalid changedSince date: ${since}`);
  // Intuit's message is known; its error code is not (2010 is a guess).
  if (now - sinceMs > CDC_MAX_DAYS * DAY) {
    throw invalidValue(
      'changedSince',
      `Operation cdc with changedSince date ${since} which is older than fixed days is not supported.`,
    );
  }

  const names: EntityName[] = [];
  for (const raw of entitiesParam.split(',')) {
    const def = entityDef(raw.trim());
    if (!def) throw invalidValue('entities', `CDC is not supported for entity ${raw.trim()}`);
    if (!names.includes(def.name)) names.push(def.name);
  }

  const changes: Change[] = [];
  for (const name of names) {
    const def = entityDef(name);
    if (!def) continue;
    for (const record of def.records(company)) {
      const at = def.lastUpdated(record);
      if (at >= sinceMs) {
        const id = Number((record as { id: string }).id);
        changes.push({ entity: name, at, id, render: () => def.render(company, record) });
      }
    }
  }
  for (const tombstone of company.tombstones) {
    if (names.includes(tombstone.entity) && tombstone.deletedAt >= sinceMs) {
      const { entity, id, deletedAt } = tombstone;
      changes.push({ entity, at: deletedAt, id: Number(id), render: () => renderTombstone(id, deletedAt) });
    }
  }
  changes.sort((a, b) => a.at - b.at || a.id - b.id);
  const kept = changes.slice(0, CDC_MAX_OBJECTS);

  const blocks = names.map((name) => {
    const rows = kept.filter((change) => change.entity === name).map((change) => change.render());
    return rows.length === 0 ? {} : { [name]: rows, startPosition: 1, maxResults: rows.length };
  });
  return { CDCResponse: [{ QueryResponse: blocks }] };
}
