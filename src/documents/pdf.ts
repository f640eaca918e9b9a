/**
 * What the printable documents share: an A4 page with pdfkit's built-in Helvetica, text made safe for
 * it, a plain table that carries its header onto the next page, and deterministic bytes: the PDF's
 * dates (and so its file id) come from the document's own date, never the clock.
 */
import PDFDocument from 'pdfkit';
import { formatIsoDate, formatMoney } from '../messaging/templates/index.js';

export type Pdf = PDFKit.PDFDocument;

export const page = { width: 595.28, height: 841.89, margin: 56 } as const;
export const contentWidth = page.width - 2 * page.margin;

/** Windows-1252's characters above Latin-1's range: the built-in fonts can draw these too. */
const cp1252Extras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the built-in fonts can draw (they cover Windows-1252): thin and narrow spaces become spaces,
 * accents that have no precomposed form lose their accent, and anything else left becomes "?", so
 * a name in another script never breaks the file.
 */
export function pdfText(text: string): string {
  let out = '';
  for (const char of text.replace(/[\u2000-\u200a\u202f\u205f]/g, ' ').replace(/[\u2212]/g, '-')) {
    const code = char.codePointAt(0) ?? 63;
    if (
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa0 && code <= 0xff) ||
      cp1252Extras.has(char) ||
      char === '\n'
    )
      out += char;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else {
      const plain = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...plain].every((part) => (part.codePointAt(0) ?? 0) <= 0xff) && plain !== '' ? plain : '?';
    }
  }
  return out;
}

/** Money and dates as the issuer writes them, made safe for the page. */
export function writers(locale: string) {
  return {
    money: (amountMinor: number, currency: string) => pdfText(formatMoney({ amountMinor, currency }, locale)),
    date: (iso: string | null) => (iso ? pdfText(formatIsoDate(iso, locale, 'short') ?? iso) : '—'),
    longDate: (iso: string) => pdfText(formatIsoDate(iso, locale, 'long') ?? iso),
  };
}

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  /** The document's date, YYYY-MM-DD: its creation date is that day's midnight UTC. */
  date: string;
}

/** Draws a document and returns its bytes; the same meta and drawing give the same bytes. */
export function renderPdf(meta: PdfMeta, draw: (doc: Pdf) => void): Promise<Buffer> {
  const created = new Date(`${meta.date}T00:00:00Z`);
  if (Number.isNaN(created.getTime())) throw new RangeError(`Not a document date: ${meta.date}`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: page.margin,
    info: {
      Title: pdfText(meta.title),
      Author: pdfText(meta.author),
      Subject: pdfText(meta.subject),
      Creator: 'Dunwell',
      Producer: 'Dunwell',
      CreationDate: created,
      ModDate: created,
    },
    lang: 'en',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica').fontSize(10).fillColor('#111111');
  draw(doc);
  doc.end();
  return done;
}

/** A heading, kept with at least a few lines of what follows it. */
export function heading(doc: Pdf, text: string, size = 12): void {
  ensureRoom(doc, size + 60);
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(size).text(pdfText(text), page.margin, doc.y);
  doc.font('Helvetica').fontSize(10).moveDown(0.3);
}

/** A paragraph across the page. */
export function paragraph(doc: Pdf, text: string, options: { size?: number; gap?: number } = {}): void {
  doc
    .font('Helvetica')
    .fontSize(options.size ?? 10)
    .text(pdfText(text), page.margin, doc.y, { width: contentWidth, lineGap: 2 });
  doc.fontSize(10).moveDown(options.gap ?? 0.6);
}

/** Starts a new page when less than `height` points are left on this one. */
export function ensureRoom(doc: Pdf, height: number): void {
  if (doc.y + height > page.height - page.margin) doc.addPage();
}

export interface Column {
  header: string;
  /** Share of the content width; the shares of a table add up to 1. */
  width: number;
  align?: 'left' | 'right';
}

/**
 * A table: a bold header row, then each row on its own line (cells wrap inside their column). A row
 * that does not fit goes to the next page under the header again. Rows in `bold` (by index) are
 * drawn bold: totals.
 */
export function table(
  doc: Pdf,
  columns: Column[],
  rows: string[][],
  bold: ReadonlySet<number> = new Set(),
): void {
  const widths = columns.map((column) => column.width * contentWidth);
  const padding = 4;
  const drawRow = (cells: string[], font: string) => {
    doc.font(font).fontSize(9);
    const heights = cells.map((cell, index) =>
      doc.heightOfString(pdfText(cell), { width: (widths[index] ?? 0) - 2 * padding }),
    );
    const height = Math.max(12, ...heights) + 2 * padding;
    return { height, heights };
  };
  const paint = (cells: string[], font: string, shade: boolean) => {
    const { height } = drawRow(cells, font);
    const top = doc.y;
    if (shade) doc.rect(page.margin, top, contentWidth, height).fill('#eeeeee').fillColor('#111111');
    let x = page.margin;
    cells.forEach((cell, index) => {
      const width = widths[index] ?? 0;
      doc.text(pdfText(cell), x + padding, top + padding, {
        width: width - 2 * padding,
        align: columns[index]?.align ?? 'left',
      });
      x += width;
    });
    doc
      .moveTo(page.margin, top + height)
      .lineTo(page.margin + contentWidth, top + height)
      .lineWidth(0.5)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.x = page.margin;
    doc.y = top + height;
  };
  const header = columns.map((column) => column.header);
  ensureRoom(doc, drawRow(header, 'Helvetica-Bold').height + 24);
  paint(header, 'Helvetica-Bold', true);
  rows.forEach((cells, index) => {
    const font = bold.has(index) ? 'Helvetica-Bold' : 'Helvetica';
    if (doc.y + drawRow(cells, font).height > page.height - page.margin) {
      doc.addPage();
      paint(header, 'Helvetica-Bold', true);
    }
    paint(cells, font, false);
  });
  doc.font('Helvetica').fontSize(10).moveDown(0.6);
}

/** Lines of text in a block at (x, y) of the given width; returns the y below it. */
export function block(
  doc: Pdf,
  lines: Array<{ text: string; bold?: boolean }>,
  at: { x: number; y: number; width: number; align?: 'left' | 'right' },
): number {
  doc.y = at.y;
  for (const line of lines)
    doc
      .font(line.bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(10)
      .text(pdfText(line.text), at.x, doc.y, { width: at.width, align: at.align ?? 'left' });
  doc.font('Helvetica');
  return doc.y;
}
