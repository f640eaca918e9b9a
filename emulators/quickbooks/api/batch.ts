/**
 * `POST /batch` with `{"BatchItemRequest":[{"bId":"1","operation":"update","Invoice":{…}},{"bId":"2","Query":"…"}]}`
 * → `{"BatchItemResponse":[{"bId":"1","Invoice":{…}},{"bId":"2","QueryResponse":{…}},{"bId":"3","Fault":{…}}]}`.
 * Items run in order and fail independently; at most 30 items (Intuit's documented recommendation).
 */
import { FaultError, invalidValue } from '../faults.js';
import { runQuery } from '../query/execute.js';
import { asObject, type JsonObject } from './body.js';
import type { ApiContext } from './context.js';
import { writeEntity } from './writes.js';

export const MAX_BATCH_ITEMS = 30;
const NOT_ENTITY = new Set(['bId', 'operation', 'optionsData']);

export function runBatch(ctx: ApiContext, rawBody: unknown): JsonObject {
  const items = asObject(rawBody, 'BatchItemRequest')['BatchItemRequest'];
  if (!Array.isArray(items)) throw invalidValue('BatchItemRequest', 'BatchItemRequest must be an array');
  if (items.length > MAX_BATCH_ITEMS) {
    throw invalidValue(
      'BatchItemRequest',
      `A batch holds at most ${MAX_BATCH_ITEMS} items, got ${items.length}`,
    );
  }
  const responses = items.map((raw) => {
    const item = asObject(raw, 'BatchItemRequest');
    const bId = item['bId'];
    try {
      if (typeof item['Query'] === 'string')
        return { bId, QueryResponse: runQuery(ctx.company, item['Query']) };
      const entity = Object.keys(item).find((key) => !NOT_ENTITY.has(key));
      if (entity === undefined) throw invalidValue('BatchItemRequest', 'Batch item names no entity');
      const operation = typeof item['operation'] === 'string' ? item['operation'] : undefined;
      return { bId, ...writeEntity(ctx, entity.toLowerCase(), operation, item[entity]) };
    } catch (error) {
      if (error instanceof FaultError) return { bId, Fault: error.fault() };
      throw error;
    }
  });
  return { BatchItemResponse: responses };
}
