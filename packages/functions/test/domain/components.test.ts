import { countByType, findComponents, toScheduleCsv } from '../../src/domain/components';

describe('component grammar', () => {
  test('finds each labelled component once, in order of first appearance', () => {
    const text = [
      'GROUND FLOOR',
      'DOOR D-101 CARD READER CR-01',
      'EXIT   BUTTON\nEB-01',
      'door contact dc-01',
      'CCTV CAMERA CAM-01',
      'DOOR D-101 (again)',
      'MAG LOCK ML-2A',
      'PIR PIR-03 INTERCOM IC-1 ELECTRIC STRIKE ES-4 REQUEST TO EXIT EB-02',
    ].join('\n');

    expect(findComponents(text)).toEqual([
      { id: 'D-101', type: 'door' },
      { id: 'CR-01', type: 'card_reader' },
      { id: 'EB-01', type: 'exit_button' },
      { id: 'DC-01', type: 'door_contact' },
      { id: 'CAM-01', type: 'camera' },
      { id: 'ML-2A', type: 'magnetic_lock' },
      { id: 'PIR-03', type: 'motion_sensor' },
      { id: 'IC-1', type: 'intercom' },
      { id: 'ES-4', type: 'electric_strike' },
      { id: 'EB-02', type: 'exit_button' },
    ]);
  });

  test('does not take an id with the wrong prefix, or a keyword inside a word', () => {
    const text = 'DOOR CR-01 CAMERA D-1 BACKDOOR D-9 CARD READER CR-1234567X DOOR D-1AB';

    expect(findComponents(text)).toEqual([]);
  });

  test('counts components by type', () => {
    const counts = countByType(findComponents('DOOR D-1 DOOR D-2 CAMERA CAM-1'));

    expect(counts).toEqual({ door: 2, camera: 1 });
  });

  test('writes the schedule as CSV, quoting where needed', () => {
    const csv = toScheduleCsv([
      { id: 'D-1', type: 'door', location: 'Level 1, "North"' },
      { id: 'CAM-1', type: 'camera' },
    ]);

    expect(csv).toBe('id,type,location\r\nD-1,door,"Level 1, ""North"""\r\nCAM-1,camera,\r\n');
  });
});
