// Writes a small sample security drawing (default ./plan.pdf) for the README walk-through:
// an A4 landscape floor plan whose text layer names doors, card readers, exit buttons and
// cameras, which the offline analyser turns into components.
//   npx projen sample-drawing            -> plan.pdf
//   npx projen sample-drawing other.pdf  -> other.pdf
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

const out = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'plan.pdf');
const doc = await PDFDocument.create();
doc.setTitle('Sample access control layout');
const font = await doc.embedFont(StandardFonts.Helvetica);
const page = doc.addPage([842, 595]);
page.drawText('ACCESS CONTROL LAYOUT - LEVEL 1 (SAMPLE)', { x: 40, y: 560, size: 14, font });
// two rooms and a corridor
page.drawRectangle({ x: 60, y: 120, width: 300, height: 360, borderColor: rgb(0, 0, 0), borderWidth: 1.5 });
page.drawRectangle({ x: 480, y: 120, width: 300, height: 360, borderColor: rgb(0, 0, 0), borderWidth: 1.5 });
const labels = [
  ['DOOR D-101', 340, 300],
  ['CARD READER CR-01', 250, 330],
  ['EXIT BUTTON EB-01', 250, 270],
  ['DOOR D-102', 470, 300],
  ['CARD READER CR-02', 490, 330],
  ['CAMERA CAM-01', 400, 470],
];
for (const [text, x, y] of labels) page.drawText(text, { x, y, size: 9, font });
writeFileSync(out, await doc.save());
console.log(`wrote ${out}: ${labels.length} labelled devices (2 doors, 2 card readers, 1 exit button, 1 camera)`);
