/** A run of text as pdf.js reports it: the string and its text-space-to-page matrix. */
export interface PlacedText {
  readonly str: string;
  /** `[a, b, c, d, e, f]`: direction and size in a–d, the baseline origin in e, f. */
  readonly transform: readonly number[];
  /** Advance width along the text direction, in page units. */
  readonly width: number;
  /** pdf.js's name of the run's font, when known. */
  readonly fontName?: string;
}

/**
 * A word where it is printed: `x`, `y` are the start of its baseline in points from the
 * page's top-left corner (as a viewer shows the sheet), `w` its advance, `size` its height.
 */
export interface Word {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly size: number;
}

/** One line of a page as a reader sees it: words that share a direction and a baseline. */
export interface TextLine {
  /** The 1-based page. */
  readonly page: number;
  /** The direction of the line in whole degrees (0 = left to right). */
  readonly angle: number;
  readonly words: readonly Word[];
}

/** The page's visible box, `[x0, y0, x1, y1]` in PDF user space (pdf.js `page.view`). */
export type PageBox = readonly [number, number, number, number];

interface Run {
  readonly str: string;
  /** Position along the baseline direction. */
  readonly along: number;
  /** Position across it (the baseline's offset). */
  readonly across: number;
  readonly width: number;
  readonly size: number;
  /** The direction, in whole degrees. */
  readonly angle: number;
  readonly font: string;
  readonly cos: number;
  readonly sin: number;
}

/** Runs of one font and size that follow each other along a baseline: one piece of text. */
interface Chain {
  readonly runs: Run[];
  end: number;
}

/** A gap wider than this many font sizes between runs is a word break. */
const WORD_GAP = 0.2;
/** Runs may overlap by this much (kerning, per-glyph rounding) and still read as one word. */
const KERN_OVERLAP = 0.15;

/**
 * Rebuilds the lines of a page from positioned text runs, the way a reader sees them:
 * - runs that share a direction and a baseline form one line, ordered along it, so text
 *   written a glyph at a time (as CAD exports do) reads as words, and rotated labels read
 *   along their own direction;
 * - a run continues the piece of text of the same font and size that ends where it starts,
 *   so two labels printed over each other on one baseline (a title block over a device
 *   label) stay two pieces, never glued or interleaved;
 * - a gap wider than a fifth of the font size, an overlap, or a change of font or size
 *   between pieces is a word break.
 */
export function layoutPage(items: readonly PlacedText[], page = 1, box?: PageBox): TextLine[] {
  const runs: Run[] = [];
  for (const { str, transform, width, fontName } of items) {
    if (!str || !str.trim()) continue;
    const [a, b, c, d, e, f] = transform;
    const theta = Math.atan2(b, a);
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    runs.push({
      str,
      along: e * cos + f * sin,
      across: -e * sin + f * cos,
      width: Math.abs(width),
      size: Math.hypot(c, d) || Math.hypot(a, b) || 1,
      angle: Math.round((theta * 180) / Math.PI),
      font: fontName ?? '',
      cos,
      sin,
    });
  }
  // Top to bottom (the across axis points up), then left to right along the baseline.
  runs.sort((x, y) => x.angle - y.angle || y.across - x.across || x.along - y.along);
  const groups: Run[][] = [];
  for (const run of runs) {
    const group = groups[groups.length - 1];
    const head = group?.[0];
    if (head && head.angle === run.angle && Math.abs(head.across - run.across) <= head.size * 0.4) {
      group.push(run);
    } else {
      groups.push([run]);
    }
  }
  const [left, , , top] = box ?? [0, 0, 0, 0];
  const place = (run: Run, offset: number) => ({
    x: round(run.along * run.cos - run.across * run.sin + offset * run.cos - left),
    y: round((box ? top : 0) - (run.along * run.sin + run.across * run.cos + offset * run.sin)),
  });
  return groups.map((group) => ({
    page,
    angle: group[0].angle,
    words: chainsOf(group).flatMap((chain) => wordsOf(chain, place)),
  }));
}

/** The line's text, its words separated by single spaces. */
export const lineText = (line: TextLine): string => line.words.map((w) => w.text).join(' ');

function sameFace(x: Run, y: Run): boolean {
  return x.font === y.font && Math.abs(x.size - y.size) <= 0.15 * Math.max(x.size, y.size);
}

function chainsOf(group: Run[]): Chain[] {
  group.sort((x, y) => x.along - y.along);
  const chains: Chain[] = [];
  for (const run of group) {
    let best: Chain | undefined;
    for (const chain of chains) {
      const last = chain.runs[chain.runs.length - 1];
      const gap = run.along - chain.end;
      if (!sameFace(last, run) || gap < -KERN_OVERLAP * run.size || gap > 2 * run.size) continue;
      if (!best || Math.abs(gap) < Math.abs(run.along - best.end)) best = chain;
    }
    if (best) {
      best.runs.push(run);
      best.end = Math.max(best.end, run.along + run.width);
    } else {
      chains.push({ runs: [run], end: run.along + run.width });
    }
  }
  return chains.sort((x, y) => x.runs[0].along - y.runs[0].along);
}

type Place = (run: Run, offset: number) => { x: number; y: number };

/** A chain's words: split at spaces inside runs and at word gaps between them. */
function wordsOf(chain: Chain, place: Place): Word[] {
  const words: Word[] = [];
  let current: { text: string; run: Run; offset: number; end: number } | undefined;
  const flush = () => {
    if (current?.text) {
      const { x, y } = place(current.run, current.offset);
      const w = round(current.end - current.run.along - current.offset);
      words.push({ text: current.text, x, y, w, size: round(current.run.size) });
    }
    current = undefined;
  };
  let end = -Infinity;
  for (const run of chain.runs) {
    if (run.along - end > WORD_GAP * run.size) flush();
    // pdf.js gives a run's advance, not its glyphs': share it out by typical glyph widths
    const chars = [...run.str];
    const scale = run.width / chars.reduce((sum, char) => sum + glyphWidth(char), 0);
    let offset = 0;
    for (const char of chars) {
      const advance = glyphWidth(char) * scale;
      if (/\s/.test(char)) {
        flush();
      } else {
        current ??= { text: '', run, offset, end: 0 };
        current.text += char;
        current.end = run.along + offset + advance;
      }
      offset += advance;
    }
    end = Math.max(end, run.along + run.width);
  }
  flush();
  return words;
}

/** A glyph's typical advance in ems (Helvetica's, near enough for most faces). */
function glyphWidth(char: string): number {
  if (/\s/.test(char)) return 0.28;
  if (/[iljI.,:;'|!]/.test(char)) return 0.25;
  if (/[-()[\]frt]/.test(char)) return 0.33;
  if (/[MW]/.test(char)) return 0.85;
  if (/[mw]/.test(char)) return 0.8;
  if (/[A-Z]/.test(char)) return 0.68;
  return 0.55;
}

const round = (value: number) => Math.round(value * 10) / 10;
