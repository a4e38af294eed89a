// Reading benchmark. Prints figures; never fails on timing or on a missed goal (it says so).
// Run after a build: `npx projen bench:reading` (or `node bench/reading.mjs`).
//
// 1. Precision and recall per producer over the reading corpus
//    (packages/functions/test/fixtures/reading: every scene drawn by reportlab, fpdf2,
//    matplotlib and pdf-lib), scoring (id, type) pairs: the worker reads, the offline
//    analyser types.
// 2. A heavy drawing, generated here: A0 sheets (2384 x 3370 pt), PAGES pages (default 20),
//    each with PATH_OPS path operators (default 200 000: polylines of m, 8 l, S) and LABELS
//    text labels (default 3 000: keyword labels, tags alone and notes), Flate-compressed.
//    Our side: a fresh PdfReader (the processor's worker thread, pdf.js) extracts the text
//    with word places, then the offline analyser reads it. Poppler's side: `pdftotext FILE
//    /dev/null` with its defaults (raw reading order off, no -layout), a fresh process. RUNS
//    alternating runs each (default 3); medians, pages/s and the ratio.
// 3. Peak memory: a node process that only reads the heavy drawing in the worker, its peak
//    RSS (main thread included) next to the same process idle, and the worker's own heap limit.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const functions = join(ROOT, 'packages/functions');
const { PdfReader, pdfWorkerFile } = require(join(functions, 'lib/pdf/pdf-reader.js'));
const { OfflineTextAnalyser } = require(join(functions, 'lib/adapters/offline-text-analyser.js'));
const { DEFAULT_PDF_LIMITS } = require(join(functions, 'lib/domain/pdf.js'));

const RUNS = Number(process.env.RUNS ?? 3);
const PAGES = Number(process.env.PAGES ?? 20);
const PATH_OPS = Number(process.env.PATH_OPS ?? 200_000);
const LABELS = Number(process.env.LABELS ?? 3_000);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const workerFile = pdfWorkerFile({});

async function readDrawing(pdf) {
  const reader = new PdfReader({ workerFile, poolSize: 1 });
  try {
    const started = performance.now();
    const { lines } = await reader.extract(pdf, 50);
    const read = performance.now() - started;
    const analysis = await new OfflineTextAnalyser().analyse({ jobId: 'bench', pdf, lines });
    return { read, total: performance.now() - started, analysis, lines };
  } finally {
    await reader.close();
  }
}

// 1. precision and recall per producer
const corpus = join(functions, 'test/fixtures/reading');
console.log('Reading corpus (id and type must both match):');
console.log('producer     drawings  expected  found  precision  recall');
for (const file of readdirSync(corpus).filter((f) => /^expected\..+\.json$/.test(f))) {
  const { drawings } = JSON.parse(readFileSync(join(corpus, file), 'utf8'));
  let [expected, found, right] = [0, 0, 0];
  for (const [name, want] of Object.entries(drawings)) {
    const { analysis } = await readDrawing(readFileSync(join(corpus, name)));
    const truth = new Set(want.map((c) => `${c.id} ${c.type}`));
    expected += truth.size;
    found += analysis.components.length;
    right += analysis.components.filter((c) => truth.has(`${c.id} ${c.type}`)).length;
  }
  const producer = file.slice('expected.'.length, -'.json'.length);
  console.log(
    `${producer.padEnd(12)} ${String(Object.keys(drawings).length).padStart(8)}  ${String(expected).padStart(8)}  ${String(found).padStart(5)}  ${(right / found).toFixed(3).padStart(9)}  ${(right / expected).toFixed(3).padStart(6)}`,
  );
}

// 2. the heavy drawing
/** A PDF of `pages` A0 sheets, each with `pathOps` path operators and `labels` labels. */
function heavyPdf(pages, pathOps, labels) {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const [w, h] = [2384, 3370];
  const at = () => `${(random() * w).toFixed(1)} ${(random() * h).toFixed(1)}`;
  const kinds = ['CARD READER CR', 'DOOR D', 'CAMERA CAM', 'EB', 'DC', 'ML', 'NOTE'];
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'];
  const kids = [];
  for (let p = 0; p < pages; p++) {
    const ops = [];
    for (let n = 0; n < pathOps; n += 10) {
      ops.push(`${at()} m`);
      for (let k = 0; k < 8; k++) ops.push(`${at()} l`);
      ops.push('S');
    }
    for (let n = 0; n < labels; n++) {
      const kind = kinds[n % kinds.length];
      const text =
        kind === 'NOTE'
          ? `NOTE ${n}: FIX AT 1200 AFF, SEE SEC-A-${100 + p}`
          : `${kind}-${(p * labels + n) % 100_000}`;
      ops.push(`BT /F1 7 Tf 1 0 0 1 ${at()} Tm (${text}) Tj ET`);
    }
    const content = deflateSync(Buffer.from(ops.join('\n')));
    const contentRef = objects.length + 2;
    kids.push(`${objects.length + 1} 0 R`);
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentRef} 0 R >>`,
    );
    objects.push({ stream: content });
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  const chunks = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = chunks[0].length;
  const offsets = [];
  objects.forEach((object, i) => {
    offsets.push(size);
    const body =
      typeof object === 'string'
        ? Buffer.from(`${i + 1} 0 obj\n${object}\nendobj\n`)
        : Buffer.concat([
            Buffer.from(`${i + 1} 0 obj\n<< /Length ${object.stream.length} /Filter /FlateDecode >>\nstream\n`),
            object.stream,
            Buffer.from('\nendstream\nendobj\n'),
          ]);
    chunks.push(body);
    size += body.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`];
  for (const offset of offsets) xref.push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${size}\n%%EOF\n`);
  chunks.push(Buffer.from(xref.join('')));
  return Buffer.concat(chunks);
}

const dir = mkdtempSync(join(tmpdir(), 'reading-bench-'));
const heavy = join(dir, 'heavy.pdf');
const pdf = heavyPdf(PAGES, PATH_OPS, LABELS);
writeFileSync(heavy, pdf);
console.log(
  `\nHeavy drawing: ${PAGES} A0 pages, each ${PATH_OPS} path operators and ${LABELS} labels; ` +
    `${(pdf.length / 1024 / 1024).toFixed(1)} MiB (Flate)`,
);

const version = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
const poppler = version.error ? '' : `${version.stdout}${version.stderr}`;
const popplerVersion = poppler.match(/pdftotext version [\d.]+/)?.[0];
if (!popplerVersion) {
  console.log('pdftotext is not installed (Debian: apt-get install poppler-utils): no ratio printed');
}

const ours = [];
const theirs = [];
let last;
for (let run = 0; run < RUNS; run++) {
  last = await readDrawing(pdf);
  ours.push(last);
  if (popplerVersion) {
    const started = performance.now();
    const result = spawnSync('pdftotext', [heavy, '/dev/null']);
    if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr}`);
    theirs.push(performance.now() - started);
  }
}
const read = median(ours.map((r) => r.read));
const total = median(ours.map((r) => r.total));
const words = last.lines.reduce((n, l) => n + l.words.length, 0);
console.log(
  `ours (pdf.js worker + layout, then the analyser): read ${(read / 1000).toFixed(2)} s, ` +
    `with analysis ${(total / 1000).toFixed(2)} s, ${(PAGES / (total / 1000)).toFixed(1)} pages/s; ` +
    `${last.lines.length} lines, ${words} words, ${last.analysis.components.length} components`,
);
if (popplerVersion) {
  const poppl = median(theirs);
  const ratio = total / poppl;
  console.log(
    `${popplerVersion} (defaults, to /dev/null): ${(poppl / 1000).toFixed(2)} s, ` +
      `${(PAGES / (poppl / 1000)).toFixed(1)} pages/s`,
  );
  console.log(
    `ratio ours / pdftotext: ${ratio.toFixed(2)}x (goal <= 3x: ${ratio <= 3 ? 'met' : 'MISSED'}) ` +
      `over ${RUNS} alternating runs, medians`,
  );
}

// 3. peak memory of a process that only reads the heavy drawing in the worker
const probe = `
const { PdfReader, pdfWorkerFile } = require(${JSON.stringify(join(functions, 'lib/pdf/pdf-reader.js'))});
const idle = process.resourceUsage().maxRSS;
const reader = new PdfReader({ workerFile: pdfWorkerFile({}), poolSize: 1 });
reader.extract(require('fs').readFileSync(${JSON.stringify(heavy)}), 50).then(async () => {
  await reader.close();
  console.log(JSON.stringify({ idle, peak: process.resourceUsage().maxRSS }));
}, (err) => { console.log(JSON.stringify({ error: err.message })); });
`;
const memory = JSON.parse(
  execFileSync(process.execPath, ['-e', probe], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  }).trim(),
);
if (memory.error) {
  console.log(`peak memory: the read failed: ${memory.error}`);
} else {
  const peakMb = memory.peak / 1024;
  console.log(
    `peak RSS of a process reading it in the worker: ${peakMb.toFixed(0)} MB ` +
      `(idle ${(memory.idle / 1024).toFixed(0)} MB; goal under 1 GB: ${peakMb < 1024 ? 'met' : 'MISSED'}; ` +
      `the worker's heap limit is ${DEFAULT_PDF_LIMITS.maxHeapMb} MB)`,
  );
}
