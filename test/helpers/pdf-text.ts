import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of each page of a PDF as a reader's copy-and-paste would give it, lines joined by "\n". */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    verbosity: 0,
  });
  const document = await task.promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    let text = '';
    for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : ' ');
    pages.push(text.replace(/[ \u00a0]+/g, ' '));
  }
  await task.destroy();
  return pages;
}

/** All the text of a PDF as one line (pages joined, any run of white space one space), to find phrases in. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await pdfPages(bytes)).join(' ').replace(/\s+/g, ' ');
}

/** The PDF's document information (Title, Author, CreationDate as the file writes it…). */
export async function pdfInfo(bytes: Uint8Array): Promise<Record<string, unknown>> {
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  const { info } = await (await task.promise).getMetadata();
  await task.destroy();
  return info as Record<string, unknown>;
}
