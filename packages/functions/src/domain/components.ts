import type { DrawingComponent } from '@security-assistant/layer-common';

/**
 * The label grammar the offline analyser understands. A component is written on a drawing
 * as its type keyword followed by its id:
 *
 * ```
 * label   := keyword WS+ id
 * keyword := one of the keywords below (any case; words separated by any whitespace)
 * id      := prefix "-" 1-5 digits [letter]  e.g. D-101, D-101A, CR-01, CAM-12
 * ```
 *
 * Each keyword takes only its own id prefix, so `DOOR CONTACT DC-01` is a door contact and
 * never a door. Ids are upper-cased; a component named twice is kept once (first wins).
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

const LABEL = new RegExp(
  COMPONENT_GRAMMAR.map(
    ({ keywords, prefix }) =>
      `\\b(?:${keywords.map((k) => k.replace(/ /g, '\\s+')).join('|')})\\s+(${prefix}-\\d{1,5}[A-Z]?)\\b`,
  ).join('|'),
  'gi',
);

/** Every component labelled in `text`, in order of first appearance, deduplicated by id. */
export function findComponents(text: string): DrawingComponent[] {
  const byId = new Map<string, DrawingComponent>();
  for (const match of text.matchAll(LABEL)) {
    const group = match.findIndex((value, i) => i > 0 && value !== undefined);
    const id = match[group].toUpperCase();
    if (!byId.has(id)) byId.set(id, { id, type: COMPONENT_GRAMMAR[group - 1].type });
  }
  return [...byId.values()];
}

export function countByType(components: readonly DrawingComponent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { type } of components) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The component schedule as CSV (RFC 4180, CRLF line ends), one row per component. */
export function toScheduleCsv(components: readonly DrawingComponent[]): string {
  const rows = [
    ['id', 'type', 'location'],
    ...components.map((c) => [c.id, c.type, c.location ?? '']),
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
