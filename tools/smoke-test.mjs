// Smoke test of a deployed platform: GET /health answers 200 with the deployed version and
// stage, and an unknown path answers a 4xx in the platform's error shape.
//
//   node tools/smoke-test.mjs --outputs cdk-outputs.json --stage staging
//   node tools/smoke-test.mjs --url https://abc.execute-api.example/staging/ --stage staging
//
// The API URL comes from the service stack's ApiUrl output. The expected version is
// SMOKE_EXPECTED_VERSION, else @security-assistant/functions' version in this checkout. The
// result (and the stack outputs) go to stdout and, on a runner, to the job summary.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    outputs: { type: 'string' },
    url: { type: 'string' },
    stage: { type: 'string' },
    attempts: { type: 'string', default: process.env.SMOKE_ATTEMPTS ?? '6' },
    'delay-ms': { type: 'string', default: process.env.SMOKE_DELAY_MS ?? '5000' },
  },
});

function fail(message) {
  report(`**Smoke test failed:** ${message}`);
  console.error(`smoke test: ${message}`);
  process.exit(1);
}

function report(markdown) {
  console.log(markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}

const stage = values.stage;
if (!stage) fail('--stage is required');
let url = values.url;
if (values.outputs) {
  const outputs = JSON.parse(readFileSync(values.outputs, 'utf8'));
  const service = outputs[`SecurityAssistant-${stage}-service`] ?? {};
  url ??= service.ApiUrl;
  const rows = Object.entries(outputs).flatMap(([stack, o]) =>
    Object.entries(o).map(([k, v]) => `| ${stack} | ${k} | \`${v}\` |`),
  );
  report(['### Stack outputs', '', '| stack | output | value |', '|---|---|---|', ...rows, ''].join('\n'));
}
if (!url) fail(`no API URL: give --url, or --outputs with SecurityAssistant-${stage}-service.ApiUrl`);
const base = url.endsWith('/') ? url : `${url}/`;
const expectedVersion =
  process.env.SMOKE_EXPECTED_VERSION ??
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'packages', 'functions', 'package.json'), 'utf8')).version;

/** GET with retries on network errors and 5xx (a fresh deployment may still be settling). */
async function get(path) {
  const attempts = Number(values.attempts);
  let last;
  for (let i = 1; i <= attempts; i++) {
    try {
      const response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(10_000) });
      const text = await response.text();
      last = { status: response.status, text };
      if (response.status < 500) return last;
    } catch (err) {
      last = { status: 0, text: String(err) };
    }
    if (i < attempts) await new Promise((r) => setTimeout(r, Number(values['delay-ms'])));
  }
  return last;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const health = await get('health');
const body = parse(health.text);
if (health.status !== 200) fail(`GET ${base}health answered ${health.status}: ${health.text.slice(0, 200)}`);
if (body?.status !== 'ok' || body.version !== expectedVersion || body.stage !== stage) {
  fail(`GET ${base}health answered ${health.text.slice(0, 200)}; expected status ok, version ${expectedVersion}, stage ${stage}`);
}

const unknownPath = `smoke-test-unknown-${Date.now().toString(36)}`;
const unknown = await get(unknownPath);
const error = parse(unknown.text)?.error;
if (unknown.status < 400 || unknown.status > 499) fail(`GET ${base}${unknownPath} answered ${unknown.status}, expected a 4xx`);
if (typeof error?.code !== 'string' || typeof error?.message !== 'string') {
  fail(`GET ${base}${unknownPath} answered ${unknown.text.slice(0, 200)}, not {"error":{"code","message"}}`);
}

report(
  `**Smoke test passed** (${stage}): \`GET /health\` 200, version ${body.version}; an unknown path ${unknown.status} ${error.code}.`,
);
