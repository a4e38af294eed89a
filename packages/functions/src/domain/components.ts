import type { ComponentPlace, DrawingComponent } from '@security-assistant/layer-common';
import type { TextLine, Word } from './text-layout';

/**
 * The component types the offline analyser knows, with the words a drawing names them by
 * and the tag prefix each is given by default. A component is tagged on a drawing by an id,
 * alone or after its keyword:
 *
 * ```
 * tag     := prefix "-" 1-5 digits [letter]      e.g. D-101, D-101A, CR-01, CAM-12
 * label   := [keyword WS+] tag                   e.g. CARD READER CR-01, or CR-01 alone
 * legend  := prefix [WS] [= | : | -] WS keyword  e.g. CR = CARD READER, ACR  Card Reader
 * ```
 *
 * A tag's type comes from its prefix: the deployment's vocabulary (these prefixes, extended
 * by the construct's `tagVocabulary`), overridden by a legend printed on the drawing. A
 * keyword gives its type to a tag whose prefix is not known. Keywords match in any case, on
 * the tag's line or wrapped onto the line above it.
 */
export const COMPONENT_GRAMMAR = [
  { type: 'door_contact', keywords: ['DOOR CONTACT'], prefix: 'DC' },
  { type: 'door', keywords: ['DOOR'], prefix: 'D' },
  { type: 'card_reader', keywords: ['CARD READER'], prefix: 'CR' },
  { type: 'exit_button', keywords: ['EXIT BUTTON', 'REQUEST TO EXIT'], prefix: 'EB' },
  { type: 'camera', keywords: ['CAMERA', 'CCTV CAMERA'], prefix: 'CAM' },
  { type: 'magnetic_lock', keywords: ['MAGNETIC LOCK', 'MAG LOCK'], prefix: 'ML' },
  { type: 'electric_strike', keywords: ['ELECTRIC STRIKE'], prefix: 'ES' },
  { type: 'motion_sensor', keywords: ['MOTION SENSOR', 'PIR'], prefix: 'PIR' },
  { type: 'intercom', keywords: ['INTERCOM'], prefix: 'IC' },
] as const;

/** Tag prefix → component type. */
export type TagVocabulary = Readonly<Record<string, string>>;

export const DEFAULT_VOCABULARY: TagVocabulary = Object.fromEntries(
  COMPONENT_GRAMMAR.map(({ prefix, type }) => [prefix, type]),
);

/** A prefix of one to five letters, and a type in snake_case. */
export const TAG_PREFIX = /^[A-Z]{1,5}$/;
export const COMPONENT_TYPE = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The deployment's vocabulary: the defaults, extended (or overridden) by `TAG_VOCABULARY`,
 * a JSON object of prefix → type as the construct's `tagVocabulary` writes it.
 */
export function vocabularyFrom(json: string | undefined): TagVocabulary {
  if (!json) return DEFAULT_VOCABULARY;
  let extra: unknown;
  try {
    extra = JSON.parse(json);
  } catch {
    throw new Error(`TAG_VOCABULARY must be a JSON object of prefix to type (given ${json})`);
  }
  if (!extra || typeof extra !== 'object' || Array.isArray(extra)) {
    throw new Error(`TAG_VOCABULARY must be a JSON object of prefix to type (given ${json})`);
  }
  for (const [prefix, type] of Object.entries(extra)) {
    if (!TAG_PREFIX.test(prefix) || typeof type !== 'string' || !COMPONENT_TYPE.test(type)) {
      throw new Error(
        `TAG_VOCABULARY entry ${JSON.stringify(prefix)}: ${JSON.stringify(type)} must map 1-5 ` +
          'capital letters to a snake_case type',
      );
    }
  }
  return { ...DEFAULT_VOCABULARY, ...(extra as Record<string, string>) };
}

/** What the offline analyser read from a drawing. */
export interface Reading {
  readonly components: DrawingComponent[];
  /** Tag-shaped text that could not be given a type: the user must know it was skipped. */
  readonly unassigned: string[];
}

const TAG = /^([A-Z]{1,5})-(\d{1,5}[A-Z]?)$/;
/** Words after which a tag-shaped token is a drawing, sheet or detail reference. */
const REFERENCE = /^(DWG|DRG|DRAWING|SHEET|NO|NO\.|NUMBER|REF|REV|REVISION|SEE|DETAIL|DET)$/;
const KEYWORDS = COMPONENT_GRAMMAR.flatMap(({ type, keywords }) =>
  keywords.map((keyword) => ({ type, words: keyword.split(' ') })),
);
/**
 * Never legend prefixes: words of keywords (`CCTV CAMERA` is a label, not a legend) and
 * words of notes (`A CAMERA AT EACH ENTRY` does not make `A` a camera prefix).
 */
const NOT_PREFIXES = new Set([
  ...KEYWORDS.flatMap((k) => k.words),
  ...'A AN AND ANY ARE AS AT BE BY EACH FOR IF IN IS IT NEW NO NOT OF ON OR THE TO WITH'.split(' '),
]);
const TYPE_NAMES = new Map(
  COMPONENT_GRAMMAR.map(({ type }) => [type.replace(/_/g, ' ').toUpperCase(), type]),
);

interface Token {
  readonly word: Word;
  /** As printed. */
  readonly raw: string;
  /** Upper-cased, without the punctuation around it. */
  readonly text: string;
  readonly line: TextLine;
}

interface KeywordAt {
  readonly type: string;
  /** The index of the keyword's first token on its line, and of the token after it. */
  readonly start: number;
  readonly next: number;
  readonly first: Word;
  readonly last: Word;
}

/**
 * Reads a drawing's components from its lines: every tag whose prefix the vocabulary (or a
 * legend on the drawing, or a keyword in front of it) gives a type, in order of first
 * appearance, one component per id with every place it is printed.
 */
export function readComponents(
  lines: readonly TextLine[],
  vocabulary: TagVocabulary = DEFAULT_VOCABULARY,
): Reading {
  const tokenLines = lines.map((line) =>
    line.words.flatMap((word) =>
      word.text
        .split(/[/,;]/)
        // hyphens, en dashes and minus signs all join a tag's prefix to its number
        .map((part) =>
          part.replace(/^[("'[{]+|[)"'\]}.:]+$/g, '').replace(/[\u2010-\u2013\u2212]/g, '-'),
        )
        .filter(Boolean)
        .map((raw): Token => ({ word, raw, text: raw.toUpperCase(), line })),
    ),
  );
  const known: Record<string, string> = { ...vocabulary, ...legendOf(tokenLines) };
  const keywords = tokenLines.map(keywordsOn);
  const tags: Array<{ token: Token; prefix: string; keywordType?: string }> = [];
  tokenLines.forEach((tokens, lineIndex) =>
    tokens.forEach((token, i) => {
      const match = TAG.exec(token.text);
      if (!match || (i > 0 && REFERENCE.test(tokens[i - 1].text))) return;
      // the keyword before it (`CARD READER ACR-1`), after it as a schedule row has it
      // (`ACR-1 Card reader`), or wrapped above it; never across a gap in the line
      const onLine = keywords[lineIndex];
      const after = onLine.find(
        (k) =>
          k.start === i + 1 && !startsPiece(tokens, i + 1) && !TAG.test(tokens[k.next]?.text ?? ''),
      )?.type;
      const keywordType = startsPiece(tokens, i)
        ? (keywordAbove(token, tokenLines, keywords, lineIndex) ?? after)
        : (onLine.find((k) => k.next === i)?.type ?? after);
      tags.push({ token, prefix: match[1], keywordType });
    }),
  );
  // A keyword in front of a tag with an unknown prefix names the prefix for the drawing.
  for (const { prefix, keywordType } of tags) {
    if (keywordType && !(prefix in known)) known[prefix] = keywordType;
  }
  const byId = new Map<string, { id: string; type: string; places: ComponentPlace[] }>();
  const unassigned = new Set<string>();
  for (const { token, prefix } of tags) {
    const type = known[prefix];
    if (!type) {
      unassigned.add(token.text);
      continue;
    }
    const place = { page: token.line.page, x: token.word.x, y: token.word.y };
    const component = byId.get(token.text);
    if (!component) {
      byId.set(token.text, { id: token.text, type, places: [place] });
    } else if (!component.places.some((p) => p.page === place.page && near(p, place))) {
      component.places.push(place);
    }
  }
  return {
    components: [...byId.values()].map(({ id, type, places }) => ({
      id,
      type,
      page: places[0].page,
      places,
    })),
    unassigned: [...unassigned],
  };
}

const near = (a: ComponentPlace, b: ComponentPlace) =>
  Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1;

/** Every keyword on a line, with the token that follows it. */
function keywordsOn(tokens: readonly Token[]): KeywordAt[] {
  const found: KeywordAt[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (const { type, words } of KEYWORDS) {
      if (words.every((w, k) => tokens[i + k]?.text === w)) {
        const last = i + words.length - 1;
        found.push({
          type,
          start: i,
          next: last + 1,
          first: tokens[i].word,
          last: tokens[last].word,
        });
      }
    }
  }
  return found;
}

/** Whether the token begins a piece of its line (first, or far from the word before it). */
function startsPiece(tokens: readonly Token[], i: number): boolean {
  if (i === 0 || i >= tokens.length) return true;
  const before = tokens[i - 1].word;
  const { word } = tokens[i];
  return before !== word && word.x - (before.x + before.w) > 2 * word.size;
}

/**
 * The type of a keyword wrapped onto a line above the tag: the keyword ends its own piece
 * of text, sits at most two and a half lines higher, and spans the tag's start.
 */
function keywordAbove(
  tag: Token,
  tokenLines: readonly Token[][],
  keywords: readonly KeywordAt[][],
  lineIndex: number,
): string | undefined {
  const { word, line } = tag;
  if (line.angle !== 0) return undefined;
  for (let above = lineIndex - 1; above >= 0; above--) {
    const tokens = tokenLines[above];
    if (tokens.length === 0) continue;
    const { line: upper, word: first } = tokens[0];
    if (upper.page !== line.page || upper.angle !== 0 || word.y - first.y > 2.5 * word.size) {
      return undefined;
    }
    const found = keywords[above].find(
      (k) =>
        startsPiece(tokens, k.next) &&
        word.x >= k.first.x - word.size &&
        word.x <= k.last.x + k.last.w + word.size,
    );
    if (found) return found.type;
  }
  return undefined;
}

/**
 * The legend or device schedule printed on the drawing: `CR = CARD READER`, `ACR: Card
 * reader`, `CR  CARD READER` (a prefix in capitals, then a keyword or type name that no tag
 * follows). Its entries override the vocabulary for this drawing.
 */
function legendOf(tokenLines: readonly Token[][]): Record<string, string> {
  const legend: Record<string, string> = {};
  for (const tokens of tokenLines) {
    for (let i = 0; i < tokens.length - 1; i++) {
      const raw = tokens[i].raw.replace(/[=:\-–—]+$/, '');
      const prefix = raw.replace(/-(X+|#+|N+|\*|0+)$/, '');
      if (!TAG_PREFIX.test(prefix) || NOT_PREFIXES.has(prefix) || raw !== raw.toUpperCase()) {
        continue;
      }
      let at = i + 1;
      if (/^[=:\-–—]$/.test(tokens[at].raw)) at++;
      const entry = phraseAt(tokens, at);
      const label = entry && !startsPiece(tokens, entry.next) && TAG.test(tokens[entry.next].text);
      if (entry && !label) legend[prefix] = entry.type;
    }
  }
  return legend;
}

/** The keyword or type name starting at token `at`, if any. */
function phraseAt(tokens: readonly Token[], at: number) {
  for (const { type, words } of KEYWORDS) {
    if (words.every((w, k) => tokens[at + k]?.text === w)) return { type, next: at + words.length };
  }
  for (const [name, type] of TYPE_NAMES) {
    const words = name.split(' ');
    if (words.every((w, k) => tokens[at + k]?.text === w)) return { type, next: at + words.length };
  }
  return undefined;
}

/** What a reading leaves for the user to check, as job warnings. */
export function readingWarnings({ unassigned }: Reading): string[] {
  if (unassigned.length === 0) return [];
  const shown = unassigned.slice(0, 20).join(', ');
  const more = unassigned.length > 20 ? ` and ${unassigned.length - 20} more` : '';
  return [
    `${unassigned.length} tag-shaped label(s) could not be given a type and are not in the ` +
      `schedule: ${shown}${more}. Add their prefixes to the tag vocabulary (the construct's ` +
      'tagVocabulary) or print a legend on the drawing',
  ];
}

export function countByType(components: readonly DrawingComponent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { type } of components) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The component schedule as CSV (RFC 4180, CRLF line ends), one row per component: its
 * page and the position of its tag in points from the page's top-left corner. A component
 * printed in several places lists them in order, separated by `;`, in each column.
 */
export function toScheduleCsv(components: readonly DrawingComponent[]): string {
  const rows = [
    ['id', 'type', 'page', 'x', 'y'],
    ...components.map((c) => {
      const places = c.places ?? [];
      const column = (pick: (p: ComponentPlace) => number) => places.map(pick).join(';');
      return [
        c.id,
        c.type,
        places.length ? column((p) => p.page) : String(c.page ?? ''),
        column((p) => p.x),
        column((p) => p.y),
      ];
    }),
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
