import {
  countByType,
  readComponents,
  readingWarnings,
  toScheduleCsv,
  vocabularyFrom,
} from '../../src/domain/components';
import type { TextLine } from '../../src/domain/text-layout';
import { linesOf } from '../support/pdfs';

/** One line of page 1 whose words sit where given: `[text, x]` at baseline `y`, 10 pt, 6 pt a glyph. */
const placed = (y: number, ...words: Array<[string, number]>): TextLine => ({
  page: 1,
  angle: 0,
  words: words.map(([text, x]) => ({ text, x, y, w: text.length * 6, size: 10 })),
});

const typed = (lines: string[], vocabulary?: Record<string, string>) =>
  readComponents(linesOf(lines), vocabulary).components.map(({ id, type }) => `${id} ${type}`);

describe('reading tags', () => {
  test('finds each component once, keyword or not, in order of first appearance', () => {
    const lines = [
      'GROUND FLOOR',
      'DOOR D-101 CARD READER CR-01',
      'EXIT   BUTTON EB-01',
      'door contact dc-01',
      'CCTV CAMERA CAM-01',
      'DOOR D-101 (again)',
      'ML-2A',
      'PIR-03, IC-1/ES-4 (EB-02)',
    ];

    expect(typed(lines)).toEqual([
      'D-101 door',
      'CR-01 card_reader',
      'EB-01 exit_button',
      'DC-01 door_contact',
      'CAM-01 camera',
      'ML-2A magnetic_lock',
      'PIR-03 motion_sensor',
      'IC-1 intercom',
      'ES-4 electric_strike',
      'EB-02 exit_button',
    ]);
  });

  test('a tag is typed by its prefix, whatever keyword stands before it', () => {
    expect(typed(['DOOR CR-01 CAMERA D-1 DOOR CONTACT DC-9'])).toEqual([
      'CR-01 card_reader',
      'D-1 door',
      'DC-9 door_contact',
    ]);
  });

  test('drawing numbers, revisions, sheet references and malformed ids are not components', () => {
    const lines = [
      'SEC-A-101 REV C DWG NO. D-900 SHEET CR-2 SEE D-7',
      'CR-1234567 D-1AB CR-X1 -01 CR- D-',
    ];

    expect(readComponents(linesOf(lines))).toEqual({ components: [], unassigned: [] });
  });

  test('tags the vocabulary does not know are named, not dropped silently', () => {
    const reading = readComponents(linesOf(['XR-1 D-1 QQ-22', 'XR-1']));

    expect(reading.unassigned).toEqual(['XR-1', 'QQ-22']);
    expect(readingWarnings(reading)).toEqual([
      expect.stringMatching(/^2 tag-shaped label\(s\) could not be given a type .*: XR-1, QQ-22\./),
    ]);
    expect(readingWarnings(readComponents(linesOf(['D-1'])))).toEqual([]);
  });

  test("a deployment's vocabulary adds prefixes and types", () => {
    const vocabulary = vocabularyFrom('{"ACR":"card_reader","GB":"glass_break"}');

    expect(typed(['ACR-7 GB-1 CR-2'], vocabulary)).toEqual([
      'ACR-7 card_reader',
      'GB-1 glass_break',
      'CR-2 card_reader',
    ]);
    expect(() => vocabularyFrom('{"acr":"card_reader"}')).toThrow(/capital letters/);
    expect(() => vocabularyFrom('{"ACR":"Card Reader"}')).toThrow(/snake_case/);
    expect(() => vocabularyFrom('[1]')).toThrow(/JSON object/);
    expect(() => vocabularyFrom('{')).toThrow(/JSON object/);
  });

  test('a legend on the drawing extends and overrides the vocabulary, in its common forms', () => {
    const lines = [
      'LEGEND',
      'ACR = CARD READER',
      'RX: Request to exit',
      'D-XX   DOOR CONTACT',
      'V – camera',
      'ACR-1 RX-2 D-3 V-4 CR-5',
    ];

    expect(typed(lines)).toEqual([
      'ACR-1 card_reader',
      'RX-2 exit_button',
      'D-3 door_contact',
      'V-4 camera',
      'CR-5 card_reader',
    ]);
  });

  test('a note in capitals is not a legend', () => {
    const reading = readComponents(
      linesOf(['A CAMERA AT EACH ENTRY, NO CARD READER IN THE LOBBY', 'A-101 NO-2']),
    );

    expect(reading.components).toEqual([]);
    expect(reading.unassigned).toEqual(['A-101', 'NO-2']);
  });

  test('a keyword followed by its tag is a label, not a legend', () => {
    // "IC CARD READER CR-01": a smart-card reader, and IC stays the intercom prefix
    expect(typed(['IC CARD READER CR-01 IC-2', 'CCTV CAMERA CAM-1'])).toEqual([
      'CR-01 card_reader',
      'IC-2 intercom',
      'CAM-1 camera',
    ]);
  });

  test('a keyword names an unknown prefix, on the same line or wrapped above the tag', () => {
    const lines = ['Card Reader ZR-1', 'ZR-2', 'MAG LOCK', 'QL-1', 'ELECTRIC   STRIKE', 'XS-9'];

    expect(typed(lines)).toEqual([
      'ZR-1 card_reader',
      'ZR-2 card_reader',
      'QL-1 magnetic_lock',
      'XS-9 electric_strike',
    ]);
  });

  test('a schedule row types its tag by the keyword after it; a keyword across a gap does not', () => {
    // "DOOR" far to the left of "XY-1" on the same baseline: a title, not a label
    const gap = placed(300, ['DOOR', 40], ['XY-1', 600]);

    expect(typed(['ACR-1 Card reader', 'QQ-2 DOOR D-3'])).toEqual([
      'ACR-1 card_reader',
      'D-3 door',
    ]);
    expect(readComponents([gap]).unassigned).toEqual(['XY-1']);
  });

  test('a legend row with a tag far along its baseline is still a legend', () => {
    const row = placed(300, ['ZQ', 40], ['=', 56], ['CAMERA', 66], ['ZQ-1', 700]);

    expect(readComponents([row]).components.map((c) => c.type)).toEqual(['camera']);
  });

  test('tags joined by a typographic hyphen, en dash or minus sign read as tags', () => {
    expect(typed(['CR\u201001 D\u2013101 CAM\u22123'])).toEqual([
      'CR-01 card_reader',
      'D-101 door',
      'CAM-3 camera',
    ]);
  });

  test('a wrapped keyword must sit over the tag', () => {
    const lines = linesOf(['MAG LOCK']);
    const far = placed(120, ['QL-1', 400]);
    const below = placed(160, ['QM-1', 40]);

    expect(readComponents([...lines, far, below]).unassigned).toEqual(['QL-1', 'QM-1']);
  });

  test('a component on two pages is one component with both places', () => {
    const reading = readComponents([...linesOf(['x', 'CR-01']), ...linesOf(['CR-01'], 3)]);

    expect(reading.components).toEqual([
      {
        id: 'CR-01',
        type: 'card_reader',
        page: 1,
        places: [
          { page: 1, x: 40, y: 120 },
          { page: 3, x: 40, y: 100 },
        ],
      },
    ]);
  });
});

describe('the schedule', () => {
  test('counts components by type', () => {
    const counts = countByType(readComponents(linesOf(['D-1 D-2 CAM-1'])).components);

    expect(counts).toEqual({ door: 2, camera: 1 });
  });

  test('writes page and position, every place of a component, quoting where needed', () => {
    const csv = toScheduleCsv([
      {
        id: 'D-1',
        type: 'door',
        page: 1,
        places: [
          { page: 1, x: 40, y: 65.5 },
          { page: 2, x: 300, y: 12 },
        ],
      },
      { id: 'CAM-1', type: 'camera, "ptz"', page: 4 },
      { id: 'ES-1', type: 'electric_strike' },
    ]);

    expect(csv).toBe(
      'id,type,page,x,y\r\n' +
        'D-1,door,1;2,40;300,65.5;12\r\n' +
        'CAM-1,"camera, ""ptz""",4,,\r\n' +
        'ES-1,electric_strike,,,\r\n',
    );
  });
});
