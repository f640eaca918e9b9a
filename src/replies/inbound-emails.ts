import { inboundEmails } from '../db/schema/index.js';
import type { Storage } from '../services/context.js';
import { type InboundPost, readInboundPost } from './inbound-post.js';

/**
 * Stores a post of SendGrid's Inbound Parse before it is answered, so that no reply is lost; a post
 * that cannot be read stores nothing and says why.
 */
export async function storeInboundEmail(
  storage: Storage,
  post: InboundPost,
): Promise<{ ok: true; id: string } | { ok: false; reason: string }> {
  const read = readInboundPost(post);
  if (!read.ok) return read;
  const [row] = await storage.db.insert(inboundEmails).values(read.email).returning({ id: inboundEmails.id });
  if (!row) throw new Error('the inbound email was not stored');
  return { ok: true, id: row.id };
}
