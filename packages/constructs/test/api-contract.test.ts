import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { platformFor, synthPlatform } from './helpers';
import { openApiDocument } from '../src/private/openapi';

const DOCUMENT = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));

/** Every method of the synthesized API, by `METHOD /path`. */
function methods(template: Template): Map<string, any> {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (id: string | undefined): string => {
    const resource = id ? resources[id] : undefined;
    if (!resource) return '';
    return `${pathOf(resource.Properties.ParentId.Ref)}/${resource.Properties.PathPart}`;
  };
  return new Map(
    Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => [
      `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId.Ref)}`,
      m.Properties,
    ]),
  );
}

const operations = () =>
  Object.entries<Record<string, any>>(DOCUMENT.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).map(([verb, op]) => ({ key: `${verb.toUpperCase()} ${path}`, op })),
  );

describe('the API contract (openapi.json)', () => {
  const { template } = platformFor('prod');

  test('is what the contract renders: the checked-in document is not edited by hand', () => {
    expect(DOCUMENT).toEqual(openApiDocument());
  });

  test('documents exactly the methods API Gateway serves, each with its authentication', () => {
    const served = methods(template);
    expect([...served.keys()].sort()).toEqual(
      operations()
        .map((o) => o.key)
        .sort(),
    );
    for (const { key, op } of operations()) {
      expect([key, served.get(key).ApiKeyRequired === true]).toEqual([key, op.security.length > 0]);
    }
  });

  test('under IAM authorization, every documented authenticated route is AWS_IAM', () => {
    const served = methods(
      synthPlatform({
        stage: 'prod',
        authorization: 'iam',
        callers: [{ name: 'ops', principalArns: ['arn:aws:iam::111122223333:role/ops'] }],
      }).template,
    );
    for (const { key, op } of operations()) {
      expect([key, served.get(key).AuthorizationType]).toEqual([
        key,
        op.security.length > 0 ? 'AWS_IAM' : 'NONE',
      ]);
    }
  });

  test("requires at API Gateway exactly the document's required parameters", () => {
    const served = methods(template);
    for (const { key, op } of operations()) {
      const required = Object.entries<boolean>(served.get(key).RequestParameters ?? {})
        .filter(([, r]) => r)
        .map(([name]) => name.split('.').pop())
        .filter((name) => name !== 'Content-Type'); // OpenAPI says it with the body's media types
      const documented = (op.parameters ?? [])
        .filter((p: any) => p.required)
        .map((p: any) => p.name);
      expect([key, required.sort()]).toEqual([key, documented.sort()]);
      if (op.requestBody) {
        // a body route refuses a request without a Content-Type before any function runs
        expect(served.get(key).RequestParameters['method.request.header.Content-Type']).toBe(true);
      }
    }
  });

  test("gives every JSON body a request model with the document's fields, required ones and patterns", () => {
    const served = methods(template);
    const models = template.findResources('AWS::ApiGateway::Model');
    const byName = (name: string) => Object.values(models).find((m) => m.Properties.Name === name);
    for (const { key, op } of operations()) {
      const json = op.requestBody?.content['application/json']?.schema;
      if (!json) continue;
      const ref = served.get(key).RequestModels['application/json'].Ref;
      const model = models[ref] ?? byName(ref);
      const schema = model.Properties.Schema;
      expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect([key, schema.required]).toEqual([key, json.required]);
      expect(Object.keys(schema.properties)).toEqual(Object.keys(json.properties));
      for (const [name, field] of Object.entries<any>(json.properties)) {
        expect(schema.properties[name].pattern).toEqual(field.pattern);
        expect(schema.properties[name].maxLength).toEqual(field.maxLength);
      }
    }
  });

  test('gives every answer a JSON body, and every error answer the error shape with its codes', () => {
    for (const { key, op } of operations()) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        const schema = response.content['application/json'].schema;
        if (Number(status) < 400) continue;
        expect([key, status, schema.allOf[0]]).toEqual([
          key,
          status,
          { $ref: '#/components/schemas/Error' },
        ]);
        expect(schema.allOf[1].properties.error.properties.code.enum.length).toBeGreaterThan(0);
      }
    }
  });
});
