import { inflateSync, constants as zlib } from 'node:zlib';

/** What the processor needs to know about a PDF, read without a PDF library. */
export interface PdfInfo {
  readonly encrypted: boolean;
  readonly pageCount: number;
}

const PDF_MAGIC = Buffer.from('%PDF-');

export function isPdf(data: Buffer): boolean {
  return data.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC);
}

interface PdfStream {
  /** The stream dictionary, as latin1 text. */
  readonly dict: string;
  /** The decoded data, or undefined when a filter is not supported (images, say). */
  readonly data?: Buffer;
}

/**
 * Every `stream … endstream` of the file with its dictionary. `/Length` is often an
 * indirect reference, so the end is found by searching for `endstream` instead.
 */
function streams(pdf: Buffer): PdfStream[] {
  const found: PdfStream[] = [];
  const text = pdf.toString('latin1');
  const keyword = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = keyword.exec(text))) {
    if (text.slice(match.index - 3, match.index) === 'end') continue;
    const dictEnd = text.lastIndexOf('>>', match.index);
    const dictStart = text.lastIndexOf(' obj', dictEnd);
    if (dictEnd < 0 || dictStart < 0) continue;
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const dict = text.slice(dictStart, dictEnd + 2);
    found.push({ dict, data: decode(dict, pdf.subarray(start, end)) });
    keyword.lastIndex = end + 'endstream'.length;
  }
  return found;
}

function decode(dict: string, raw: Buffer): Buffer | undefined {
  const filters = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(dict)?.[1].match(/\/\w+/g) ?? [];
  if (filters.length === 0) return raw;
  if (filters.length > 1 || filters[0] !== '/FlateDecode') return undefined;
  try {
    // Tolerates the end-of-line before `endstream` and truncated streams.
    return inflateSync(raw, { finishFlush: zlib.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

/** The file's object syntax outside stream data, plus the objects packed in object streams. */
function objectText(pdf: Buffer, all: PdfStream[]): string {
  const outside = pdf
    .toString('latin1')
    .replace(/stream\r?\n[\s\S]*?endstream/g, 'stream endstream');
  const packed = all
    .filter((s) => /\/Type\s*\/ObjStm\b/.test(s.dict) && s.data)
    .map((s) => s.data!.toString('latin1'));
  return [outside, ...packed].join('\n');
}

/** Whether the PDF is encrypted, and how many pages its page tree holds. */
export function inspectPdf(pdf: Buffer): PdfInfo {
  const objects = objectText(pdf, streams(pdf));
  return {
    encrypted: /\/Encrypt\b/.test(objects),
    pageCount: (objects.match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length,
  };
}

/**
 * The text a PDF shows, one string per text-showing operator (`Tj`, `TJ`, `'`, `"`), in
 * content order. Glyph codes are read as Latin-1, which is what simple fonts with the
 * standard encodings (and so most drawing exports' labels) use.
 */
export function extractPdfText(pdf: Buffer): string[] {
  const shown: string[] = [];
  for (const stream of streams(pdf)) {
    if (
      !stream.data ||
      /\/(Type|Subtype)\s*\/(ObjStm|XRef|Image|XML|Metadata)\b/.test(stream.dict)
    ) {
      continue;
    }
    shown.push(...showText(stream.data.toString('latin1')));
  }
  return shown;
}

type Operand = string | number | Operand[] | { name: string };

/** Runs a content stream's operators and collects the strings passed to text operators. */
function showText(content: string): string[] {
  const shown: string[] = [];
  const stack: Operand[][] = [[]];
  let i = 0;
  const operands = () => stack[stack.length - 1];
  while (i < content.length) {
    const c = content[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '%') {
      while (i < content.length && content[i] !== '\n' && content[i] !== '\r') i++;
    } else if (c === '(') {
      const [value, next] = literalString(content, i);
      operands().push(value);
      i = next;
    } else if (c === '<' && content[i + 1] === '<') {
      i += 2; // dictionaries (inline image parameters, marked content) hold no shown text
    } else if (c === '>') {
      i += content[i + 1] === '>' ? 2 : 1;
    } else if (c === '<') {
      const end = content.indexOf('>', i);
      const hex = content.slice(i + 1, end < 0 ? content.length : end).replace(/[^0-9A-Fa-f]/g, '');
      operands().push(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1'));
      i = end < 0 ? content.length : end + 1;
    } else if (c === '[') {
      stack.push([]);
      i++;
    } else if (c === ']') {
      const array = stack.length > 1 ? stack.pop()! : [];
      operands().push(array);
      i++;
    } else {
      const token = /^\/?[^\s()<>[\]{}/%]*/.exec(content.slice(i, i + 256))![0] || c;
      i += token.length;
      if (token.startsWith('/')) {
        operands().push({ name: token.slice(1) });
      } else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
        operands().push(Number(token));
      } else {
        const args = operands();
        const text = operator(token, args);
        if (text !== undefined) shown.push(text);
        if (token === 'BI') i = skipInlineImage(content, i);
        stack.length = 1;
        stack[0] = [];
      }
    }
  }
  return shown;
}

function operator(op: string, args: Operand[]): string | undefined {
  const last = args[args.length - 1];
  if ((op === 'Tj' || op === "'" || op === '"') && typeof last === 'string') return last;
  if (op === 'TJ' && Array.isArray(last)) {
    // A large negative adjustment is how many producers encode a space between words.
    return last
      .map((item) =>
        typeof item === 'string' ? item : typeof item === 'number' && item < -200 ? ' ' : '',
      )
      .join('');
  }
  return undefined;
}

function skipInlineImage(content: string, from: number): number {
  const end = content.indexOf('EI', content.indexOf('ID', from));
  return end < 0 ? content.length : end + 2;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** A `( … )` string with balanced parentheses, escapes and octal codes; returns the index after it. */
function literalString(content: string, start: number): [string, number] {
  let depth = 0;
  let out = '';
  let i = start;
  while (i < content.length) {
    const c = content[i++];
    if (c === '\\') {
      const e = content[i++];
      if (e === undefined) break;
      if (ESCAPES[e]) {
        out += ESCAPES[e];
      } else if (/[0-7]/.test(e)) {
        const octal = /^[0-7]{1,3}/.exec(content.slice(i - 1, i + 2))![0];
        out += String.fromCharCode(parseInt(octal, 8) % 256);
        i += octal.length - 1;
      } else if (e === '\r') {
        if (content[i] === '\n') i++;
      } else if (e !== '\n') {
        out += e;
      }
    } else if (c === '(') {
      if (depth++ > 0) out += c;
    } else if (c === ')') {
      if (--depth === 0) return [out, i];
      out += c;
    } else {
      out += c;
    }
  }
  return [out, i];
}
