import type { FastifyReply } from 'fastify';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page a customer sees behind an invoice's link (QuickBooks' portal, Xero's online invoice). */
export function sendInvoicePage(
  reply: FastifyReply,
  page: { books: string; number: string; dueDate: string; dueLabel: string; due: string },
) {
  const number = escapeHtml(page.number);
  return reply
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><title>Invoice ${number}</title><h1>${escapeHtml(page.books)}</h1>` +
        `<p>Invoice ${number}, due ${page.dueDate}. ${page.dueLabel}: ${page.due}.</p>`,
    );
}

export function sendPageNotFound(reply: FastifyReply) {
  return reply.code(404).type('text/html').send('<h1>Not found</h1>');
}
