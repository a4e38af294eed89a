import { layoutPage, lineText, type PlacedText } from '../../src/domain/text-layout';

/** A run at (x, y), `size` points, turned by `degrees`; 0.6 em per glyph. */
function run(
  str: string,
  x: number,
  y: number,
  size = 10,
  degrees = 0,
  fontName = 'F1',
): PlacedText {
  const t = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  return {
    str,
    transform: [size * cos, size * sin, -size * sin, size * cos, x, y],
    width: str.length * size * 0.6,
    fontName,
  };
}

const glyphs = (str: string, x: number, y: number, size = 10, fontName = 'F1') =>
  [...str].map((c, i) => run(c, x + i * size * 0.6, y, size, 0, fontName));

const text = (items: PlacedText[]) => layoutPage(items).map(lineText);

describe('text layout', () => {
  test('joins runs on one baseline in reading order, with a space at word gaps', () => {
    const door = glyphs('DOOR', 100, 400);
    const id = glyphs('D-7', 130, 400.3);

    expect(text([...id.reverse(), ...door])).toEqual(['DOOR D-7']);
  });

  test('orders lines top to bottom and keeps separate baselines apart', () => {
    expect(text([run('CAMERA CAM-1', 10, 100), run('DOOR D-1', 10, 200)])).toEqual([
      'DOOR D-1',
      'CAMERA CAM-1',
    ]);
  });

  test('reads rotated text along its own direction', () => {
    const up = [...'DOOR D-9'].map((c, i) => run(c, 300, 100 + i * 6, 10, 90));

    expect(text(up.reverse())).toEqual(['DOOR D-9']);
  });

  test('drops empty runs and collapses whitespace', () => {
    expect(text([run('  ', 0, 0), run('EXIT  BUTTON', 0, 50), run('', 9, 9)])).toEqual([
      'EXIT BUTTON',
    ]);
  });

  test('a run printed over another on the same baseline is a separate word, never glued', () => {
    // a title block's text runs over a device label: they overlap by 30 pt
    const title = run('FLOOR LAYOUT PLAN', 100, 400, 12, 0, 'F2');
    const label = run('CARD READER CR-01', 100 + 17 * 7.2 - 30, 400);

    expect(text([title, label])).toEqual(['FLOOR LAYOUT PLAN CARD READER CR-01']);
    // touching end to end, in another font
    expect(text([run('PLAN', 0, 0, 12, 0, 'F2'), run('CR-01', 28.8, 0)])).toEqual(['PLAN CR-01']);
  });

  test('two labels written a glyph at a time over each other read apart, not interleaved', () => {
    const title = glyphs('SECURITY LAYOUT', 100, 400, 14, 'F2');
    const label = glyphs('CR-01', 150, 400, 9);

    expect(text([...title, ...label].sort((a, b) => a.transform[4] - b.transform[4]))).toEqual([
      'SECURITY LAYOUT CR-01',
    ]);
  });

  test('places each word from the top-left corner of the page, rotated ones too', () => {
    const lines = layoutPage(
      [run('CARD READER CR-01', 100, 500), run('D-9', 300, 100, 10, 90)],
      2,
      [0, 0, 842, 595],
    );

    expect(lines.map((l) => [l.page, l.angle, lineText(l)])).toEqual([
      [2, 0, 'CARD READER CR-01'],
      [2, 90, 'D-9'],
    ]);
    // a tag inside a run is placed by typical glyph widths (0.6 em each here: at 172)
    expect(lines[0].words[2]).toEqual({ text: 'CR-01', x: 174, y: 95, w: 28, size: 10 });
    expect(lines[1].words[0]).toMatchObject({ x: 300, y: 495 });
  });
});
