import { ValidationError } from '@security-assistant/layer-common';
import { multipartBoundary, parseMultipart } from '../../src/domain/multipart';
import { multipart } from '../support/http';

describe('multipart boundary', () => {
  test.each([
    ['multipart/form-data; boundary=abc', 'abc'],
    ['Multipart/Form-Data; charset=utf-8; boundary="a b;c"', 'a b;c'],
    ['multipart/form-data', undefined],
    ['application/json', undefined],
    [undefined, undefined],
  ])('%s gives %s', (contentType, boundary) => {
    expect(multipartBoundary(contentType)).toBe(boundary);
  });
});

describe('multipart parser', () => {
  test('splits fields and files, keeping binary data intact', () => {
    // Given a form with a text field and a binary file containing CRLFs and dashes
    const file = Buffer.from([0x25, 0x50, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x0d, 0x0a]);
    const { body, contentType } = multipart([
      { name: 'client_name', value: 'Acme Ltd' },
      {
        name: 'drawing_file',
        value: file,
        filename: 'plan A (rev 2).pdf',
        contentType: 'application/pdf',
      },
    ]);

    // When it is parsed
    const parts = parseMultipart(body, multipartBoundary(contentType)!);

    // Then both parts come back as sent
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ name: 'client_name', filename: undefined });
    expect(parts[0].data.toString()).toBe('Acme Ltd');
    expect(parts[1]).toMatchObject({
      name: 'drawing_file',
      filename: 'plan A (rev 2).pdf',
      contentType: 'application/pdf',
    });
    expect(parts[1].data.equals(file)).toBe(true);
  });

  test('parses an empty form', () => {
    expect(parseMultipart(Buffer.from('--b--\r\n'), 'b')).toEqual([]);
  });

  test.each([
    ['no boundary', 'hello'],
    ['an unterminated part', '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nvalue'],
    ['a part without a name', '--b\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--b--'],
    ['a bad delimiter line', '--bXYZ'],
  ])('rejects %s as INVALID_MULTIPART', (_, body) => {
    const parse = () => parseMultipart(Buffer.from(body), 'b');

    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow(expect.objectContaining({ code: 'INVALID_MULTIPART' }));
  });
});
