import type { z } from 'zod';
import { AppError } from '../errors.js';

/** The parsed value, or a 400 listing what is wrong with the request. */
export function parseOr400<Value>(schema: z.ZodType<Value>, value: unknown): Value {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError(400, 'invalid_request', 'The request is not valid.', parsed.error.issues);
  return parsed.data;
}
