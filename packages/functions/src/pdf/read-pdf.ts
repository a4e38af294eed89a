import { PermanentJobError } from '@security-assistant/layer-common';
import { getDocumentProxy } from 'unpdf';
import { preflightPdf, type PdfLimits } from '../domain/pdf';
import { layoutPage, type PageBox, type PlacedText, type TextLine } from '../domain/text-layout';

/** What the processor learns from a drawing. */
export interface PdfReadout {
  readonly pageCount: number;
  /** The lines of text with their words' places, page after page; empty unless asked for. */
  readonly lines: TextLine[];
  /** Damage that did not stop the reading, for the job's warnings. */
  readonly warnings: string[];
}

export interface ReadPdfRequest {
  readonly limits: PdfLimits;
  /** Refuse the drawing before reading its text when it has more pages. */
  readonly maxPages: number;
  /** Read the text layer too (the `pdf_processing` stage), or only check (`validation`). */
  readonly withText: boolean;
}

/**
 * Reads a drawing with pdf.js (the serverless build unpdf ships): every standard filter,
 * embedded, CID and Type3 fonts through their ToUnicode maps, object streams, and the latest
 * revision of an incrementally updated file. Runs in the PDF worker thread, never on the
 * thread that answers requests.
 */
export async function readPdf(bytes: Uint8Array, request: ReadPdfRequest): Promise<PdfReadout> {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { damage } = preflightPdf(data, request.limits);
  const doc = await open(bytes);
  try {
    const pageCount = doc.numPages;
    if (pageCount === 0) throw new PermanentJobError('INVALID_PDF', 'the drawing has no pages');
    if (pageCount > request.maxPages) {
      throw new PermanentJobError(
        'TOO_MANY_PAGES',
        `the drawing has ${pageCount} pages; at most ${request.maxPages} are processed`,
      );
    }
    const lines: TextLine[] = [];
    if (request.withText) {
      for (let number = 1; number <= pageCount; number++) {
        const { content, box } = await pageText(doc, number);
        const items: PlacedText[] = content.items.flatMap((item) => ('str' in item ? [item] : []));
        lines.push(...layoutPage(items, number, box));
      }
      if (damage.length > 0 && lines.length === 0) {
        throw new PermanentJobError('INVALID_PDF', `the drawing is damaged: ${damage.join('; ')}`);
      }
    }
    return { pageCount, lines, warnings: damage.map((d) => `the drawing is damaged: ${d}`) };
  } finally {
    await doc.loadingTask.destroy();
  }
}

/** A page's text runs; pdf.js failing on the same bytes again would be no better: INVALID_PDF. */
async function pageText(doc: Awaited<ReturnType<typeof open>>, number: number) {
  try {
    const page = await doc.getPage(number);
    const content = await page.getTextContent();
    const box = page.view as unknown as PageBox;
    page.cleanup();
    return { content, box };
  } catch (err) {
    throw new PermanentJobError(
      'INVALID_PDF',
      `page ${number} of the drawing cannot be read: ${(err as Error).message}`,
    );
  }
}

async function open(bytes: Uint8Array) {
  try {
    // pdf.js takes ownership of (and detaches) what it is given: hand it a copy.
    return await getDocumentProxy(new Uint8Array(bytes), {
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    });
  } catch (err) {
    const { name, message } = err as Error;
    if (name === 'PasswordException') {
      throw new PermanentJobError(
        'PDF_ENCRYPTED',
        'the drawing is protected by a password; upload it without one',
      );
    }
    throw new PermanentJobError('INVALID_PDF', `the drawing cannot be read as a PDF: ${message}`);
  }
}
