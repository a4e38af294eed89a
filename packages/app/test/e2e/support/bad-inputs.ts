import { multipart as multipartForm, type Part } from '../../../../functions/test/support/http';

/** One request the API must refuse with a 4xx in the error shape, creating nothing. */
export interface BadInput {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer | string;
  /** Sent without the API key (or with this wrong one). */
  readonly apiKey?: null | string;
}

const PDF = Buffer.from(
  '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/** Files that are not PDFs (or not within the header window). */
const NOT_PDFS: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  zip: Buffer.from('PK\u0003\u0004 a zip archive'),
  png: Buffer.from('\u0089PNG\r\n\u001a\n an image'),
  text: Buffer.from('DOOR D-101 CARD READER CR-01'),
  'late header': Buffer.concat([Buffer.alloc(1100, 0x20), PDF]),
  'lower case': Buffer.from('%pdf-1.7\n'),
  utf16: Buffer.from('\ufeff%PDF-1.7', 'utf16le'),
  gzip: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]),
};

const NAMES: Record<string, string | undefined> = {
  missing: undefined,
  empty: '',
  blank: '   \t ',
  'too long': 'x'.repeat(201),
  'far too long': 'é'.repeat(5000),
};

/** The forms are written as the functions' tests write them, with a fixed boundary. */
const multipart = (parts: Part[]) => multipartForm(parts, 'XyZ-boundary-42').body;

const FORM = 'multipart/form-data; boundary=XyZ-boundary-42';
const JSON_TYPE = 'application/json';
const UPLOAD_ID = `upl_${'0'.repeat(32)}`;

/**
 * A corpus of malformed, hostile and unauthorised requests, generated as the cross product
 * of a few shapes with many bad values: multipart forms (fields, files, names, boundaries,
 * sizes), JSON bodies for uploads and submissions (types, ranges, encodings), job ids and
 * listing parameters (encodings, ranges), and API keys.
 */
export function badInputs(): BadInput[] {
  const cases: BadInput[] = [];
  const add = (c: BadInput) => cases.push(c);
  const submitForm = (name: string, parts: Part[], contentType = FORM) =>
    add({
      name: `multipart: ${name}`,
      method: 'POST',
      path: '/process-drawing',
      headers: { 'content-type': contentType },
      body: multipart(parts),
    });
  const drawing = (value: Buffer = PDF, filename = 'plan.pdf'): Part => ({
    name: 'drawing_file',
    value,
    filename,
    contentType: 'application/pdf',
  });

  // Multipart: each name field missing or bad, with each kind of drawing.
  for (const [field, other] of [
    ['client_name', 'project_name'],
    ['project_name', 'client_name'],
  ]) {
    for (const [label, value] of Object.entries(NAMES)) {
      for (const [fileLabel, file] of Object.entries({ pdf: PDF, ...NOT_PDFS })) {
        const parts: Part[] = [drawing(file), { name: other, value: 'Acme' }];
        if (value !== undefined) parts.push({ name: field, value });
        submitForm(`${field} ${label}, drawing ${fileLabel}`, parts);
      }
    }
  }
  // Multipart: every non-PDF drawing with good fields, under several file names.
  for (const [fileLabel, file] of Object.entries(NOT_PDFS)) {
    for (const filename of ['plan.pdf', '../../etc/passwd', '', 'ü名前.pdf', 'a'.repeat(300)]) {
      submitForm(`drawing ${fileLabel} named ${JSON.stringify(filename.slice(0, 20))}`, [
        drawing(file, filename),
        { name: 'client_name', value: 'Acme' },
        { name: 'project_name', value: 'HQ' },
      ]);
    }
  }
  // Multipart: no drawing, the drawing as a plain field, under another name.
  const names = [
    { name: 'client_name', value: 'Acme' },
    { name: 'project_name', value: 'HQ' },
  ];
  submitForm('no drawing', names);
  submitForm('drawing as a text field', [...names, { name: 'drawing_file', value: PDF }]);
  submitForm('drawing under another name', [...names, { ...drawing(), name: 'file' }]);
  // Multipart: broken framing and content types.
  const good = multipart([drawing(), ...names]);
  const framings: Record<string, [string, Buffer]> = {
    'no boundary': ['multipart/form-data', good],
    'other boundary': ['multipart/form-data; boundary=nope', good],
    'empty boundary': ['multipart/form-data; boundary=', good],
    'boundary too long': [`multipart/form-data; boundary=${'b'.repeat(100)}`, good],
    'truncated body': [FORM, good.subarray(0, good.length / 2)],
    'no closing boundary': [FORM, good.subarray(0, good.length - 20)],
    'empty body': [FORM, Buffer.alloc(0)],
    'garbage body': [FORM, Buffer.from('\u0000\u0001\u0002garbage')],
    'text/plain': ['text/plain', good],
    'form-urlencoded': [
      'application/x-www-form-urlencoded',
      Buffer.from('client_name=a&project_name=b'),
    ],
    'application/pdf': ['application/pdf', PDF],
    'octet-stream': ['application/octet-stream', PDF],
    xml: ['application/xml', Buffer.from('<a/>')],
    'over 4 MiB': [
      FORM,
      multipart([
        drawing(Buffer.concat([PDF, Buffer.alloc(4 * 1024 * 1024 + 10, 0x20)])),
        ...names,
      ]),
    ],
  };
  for (const [label, [type, body]] of Object.entries(framings)) {
    add({
      name: `framing: ${label}`,
      method: 'POST',
      path: '/process-drawing',
      headers: { 'content-type': type },
      body,
    });
  }

  // JSON submissions naming an upload.
  const uploadIds: Record<string, unknown> = {
    missing: undefined,
    null: null,
    empty: '',
    number: 7,
    array: [UPLOAD_ID],
    object: { id: UPLOAD_ID },
    boolean: true,
    'too short': 'upl_123',
    'upper case': `upl_${'A'.repeat(32)}`,
    'no prefix': '0'.repeat(32),
    traversal: 'upl_../../drawings/x',
    'with slash': `upl_${'0'.repeat(31)}/`,
    unicode: `upl_${'０'.repeat(32)}`,
    'never uploaded': UPLOAD_ID,
    'job id': 'job_1700000000000_0123456789ab',
    'very long': `upl_${'0'.repeat(5000)}`,
  };
  const nameValues: Record<string, unknown> = {
    good: 'Acme',
    missing: undefined,
    number: 42,
    null: null,
    blank: ' ',
    long: 'x'.repeat(201),
    object: {},
  };
  for (const [idLabel, uploadId] of Object.entries(uploadIds)) {
    for (const [clientLabel, client] of Object.entries(nameValues)) {
      for (const [projectLabel, project] of Object.entries(nameValues)) {
        add({
          name: `json submission: upload_id ${idLabel}, client_name ${clientLabel}, project_name ${projectLabel}`,
          method: 'POST',
          path: '/process-drawing',
          headers: { 'content-type': JSON_TYPE },
          body: JSON.stringify({ upload_id: uploadId, client_name: client, project_name: project }),
        });
      }
    }
  }
  // JSON upload requests.
  const uploadFields: Record<string, Record<string, unknown>> = {};
  for (const [label, filename] of Object.entries({
    missing: undefined,
    empty: '',
    number: 1,
    null: null,
    long: 'f'.repeat(201),
    array: ['a.pdf'],
  })) {
    uploadFields[`filename ${label}`] = {
      filename,
      content_type: 'application/pdf',
      size_bytes: 1000,
    };
  }
  for (const [label, type] of Object.entries({
    missing: undefined,
    png: 'image/png',
    zip: 'application/zip',
    empty: '',
    number: 5,
    'pdf with junk': 'application/pdf; x',
  })) {
    uploadFields[`content_type ${label}`] = {
      filename: 'a.pdf',
      content_type: type,
      size_bytes: 1000,
    };
  }
  for (const [label, size] of Object.entries({
    missing: undefined,
    zero: 0,
    negative: -1,
    fraction: 1.5,
    text: '1000',
    huge: 1e20,
    'over the limit': 200 * 1024 * 1024,
    null: null,
    array: [1],
    'max safe + 1': 2 ** 53,
  })) {
    uploadFields[`size_bytes ${label}`] = {
      filename: 'a.pdf',
      content_type: 'application/pdf',
      size_bytes: size,
    };
  }
  for (const [label, body] of Object.entries(uploadFields)) {
    add({
      name: `upload: ${label}`,
      method: 'POST',
      path: '/uploads',
      headers: { 'content-type': JSON_TYPE },
      body: JSON.stringify(body),
    });
  }
  // Malformed JSON, for both JSON routes, under JSON and other content types.
  const jsonBodies: Record<string, Buffer | string> = {
    truncated: '{"upload_id": "upl_',
    empty: '',
    array: '[]',
    string: '"x"',
    number: '42',
    null: 'null',
    'trailing comma': '{"a":1,}',
    'single quotes': "{'a':1}",
    'invalid utf-8': Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    'deep nesting': '['.repeat(5000) + ']'.repeat(5000),
    'nul bytes': '{"a":"\u0000"}\u0000',
    bom: '\ufeff{}',
  };
  for (const path of ['/uploads', '/process-drawing']) {
    for (const [label, body] of Object.entries(jsonBodies)) {
      for (const type of [JSON_TYPE, 'application/json; charset=latin1', 'text/json']) {
        add({
          name: `json ${path}: ${label} as ${type}`,
          method: 'POST',
          path,
          headers: { 'content-type': type },
          body,
        });
      }
    }
  }

  // Job ids, raw in the path.
  const ids = [
    '',
    '%',
    '%%',
    '%ZZ',
    '%FF',
    '%C0%AF',
    '%ED%A0%80',
    '%E0%A4%A',
    'job_',
    'job_123',
    'JOB_1700000000000_0123456789ab',
    'job_1700000000000_0123456789AB',
    'job_1700000000000_0123456789abc',
    'job_1700000000000_0123456789a',
    '..%2F..%2Fetc',
    'job_1700000000000_0123456789ab%00',
    '%20job_1700000000000_0123456789ab',
    'x'.repeat(2000),
    '💥',
    'null',
    'undefined',
    'job_1700000000000_0123456789ab;drop',
    "job_1700000000000_0123456789ab'",
    'job_1700000000000_0123456789ab%2F',
  ];
  for (const id of ids) {
    add({
      name: `status id ${JSON.stringify(id.slice(0, 30))}`,
      method: 'GET',
      path: `/status/${id}`,
      headers: {},
    });
  }
  // Listing parameters (no filter at all is the caller's own listing, not an error).
  const queries = [
    'status=bogus',
    'status=',
    'status=COMPLETED',
    'client_name=a&limit=0',
    'client_name=a&limit=101',
    'client_name=a&limit=-5',
    'client_name=a&limit=ten',
    'client_name=a&limit=1.5',
    'client_name=a&limit=1e2',
    'client_name=a&next_token=!!!',
    'client_name=a&next_token=e30',
    `client_name=a&next_token=${'A'.repeat(3000)}`,
    'client_name=a&colour=red',
    `client_name=${'c'.repeat(201)}`,
    'status=failed&next_token=eyJrIjp7fSwicSI6W251bGwsImZhaWxlZCJdfQ',
    'client_name=a&next_token=%ZZ',
  ];
  for (const query of queries) {
    add({
      name: `jobs ?${query.slice(0, 40)}`,
      method: 'GET',
      path: `/jobs?${query}`,
      headers: {},
    });
  }

  // Every route without a key and with a wrong one.
  for (const [path, method] of [
    ['/process-drawing', 'POST'],
    ['/uploads', 'POST'],
    ['/status/job_1700000000000_0123456789ab', 'GET'],
    ['/jobs?status=queued', 'GET'],
  ] as const) {
    for (const apiKey of [null, 'wrong', '', 'x'.repeat(500)]) {
      add({
        name: `${method} ${path} with key ${JSON.stringify(apiKey)?.slice(0, 12)}`,
        method,
        path,
        headers: { 'content-type': JSON_TYPE },
        body: method === 'POST' ? '{}' : undefined,
        apiKey,
      });
    }
  }
  return cases;
}
