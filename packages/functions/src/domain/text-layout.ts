/** A run of text as pdf.js reports it: the string and its text-space-to-page matrix. */
export interface PlacedText {
  readonly str: string;
  /** `[a, b, c, d, e, f]`: direction and size in a–d, the baseline origin in e, f. */
  readonly transform: readonly number[];
  /** Advance width along the text direction, in page units. */
  readonly width: number;
}

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
}

/**
 * Rebuilds the lines of a page from positioned text runs, the way a reader sees them: runs
 * that share a direction and a baseline form one line, ordered along it, so text written a
 * glyph at a time (as CAD exports do) reads as words, and rotated labels read along their
 * own direction. A gap wider than a fifth of the font size becomes a space.
 */
export function layoutLines(items: readonly PlacedText[]): string[] {
  const runs: Run[] = [];
  for (const { str, transform, width } of items) {
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
    });
  }
  // Top to bottom (the across axis points up), then left to right along the baseline.
  runs.sort((x, y) => x.angle - y.angle || y.across - x.across || x.along - y.along);
  const lines: Run[][] = [];
  for (const run of runs) {
    const line = lines[lines.length - 1];
    const head = line?.[0];
    if (head && head.angle === run.angle && Math.abs(head.across - run.across) <= head.size * 0.4) {
      line.push(run);
    } else {
      lines.push([run]);
    }
  }
  return lines.map((line) => {
    line.sort((x, y) => x.along - y.along);
    let text = '';
    let end = -Infinity;
    for (const run of line) {
      const gap = run.along - end;
      if (text && gap > run.size * 0.2 && !/\s$/.test(text) && !/^\s/.test(run.str)) text += ' ';
      text += run.str;
      end = Math.max(end, run.along + run.width);
    }
    return text.replace(/\s+/g, ' ').trim();
  });
}
