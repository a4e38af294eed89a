import { layoutLines, type PlacedText } from '../../src/domain/text-layout';

/** A run at (x, y), `size` points, turned by `degrees`; 0.6 em per glyph. */
function run(str: string, x: number, y: number, size = 10, degrees = 0): PlacedText {
  const t = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  return {
    str,
    transform: [size * cos, size * sin, -size * sin, size * cos, x, y],
    width: str.length * size * 0.6,
  };
}

describe('text layout', () => {
  test('joins runs on one baseline in reading order, with a space at word gaps', () => {
    const glyphs = [...'DOOR'].map((c, i) => run(c, 100 + i * 6, 400));
    const id = [...'D-7'].map((c, i) => run(c, 130 + i * 6, 400.3));

    expect(layoutLines([...id.reverse(), ...glyphs])).toEqual(['DOOR D-7']);
  });

  test('orders lines top to bottom and keeps separate baselines apart', () => {
    expect(layoutLines([run('CAMERA CAM-1', 10, 100), run('DOOR D-1', 10, 200)])).toEqual([
      'DOOR D-1',
      'CAMERA CAM-1',
    ]);
  });

  test('reads rotated text along its own direction', () => {
    const up = [...'DOOR D-9'].map((c, i) => run(c, 300, 100 + i * 6, 10, 90));

    expect(layoutLines(up.reverse())).toEqual(['DOOR D-9']);
  });

  test('drops empty runs and collapses whitespace', () => {
    expect(layoutLines([run('  ', 0, 0), run('EXIT  BUTTON', 0, 50), run('', 9, 9)])).toEqual([
      'EXIT BUTTON',
    ]);
  });
});
