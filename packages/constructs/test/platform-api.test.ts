import { Match, Template } from 'aws-cdk-lib/assertions';
import { functionId, platformFor } from './helpers';

/** The API method for `httpMethod` on the resource whose path part is `pathPart`. */
function method(template: Template, pathPart: string, httpMethod: string) {
  const resources = template.findResources('AWS::ApiGateway::Resource', {
    Properties: { PathPart: pathPart },
  });
  const resourceId = Object.keys(resources)[0];
  const methods = template.findResources('AWS::ApiGateway::Method', {
    Properties: { HttpMethod: httpMethod, ResourceId: { Ref: resourceId } },
  });
  expect(Object.keys(methods)).toHaveLength(1);
  return Object.values(methods)[0].Properties;
}

describe('PlatformApi', () => {
  const { template } = platformFor('prod');

  test('serves POST /process-drawing, POST /uploads, GET /status/{job_id}, GET /jobs and GET /health', () => {
    expect(method(template, 'process-drawing', 'POST')).toBeDefined();
    expect(method(template, 'uploads', 'POST')).toBeDefined();
    expect(method(template, '{job_id}', 'GET')).toBeDefined();
    expect(method(template, 'jobs', 'GET')).toBeDefined();
    expect(method(template, 'health', 'GET')).toBeDefined();
    template.resourceCountIs('AWS::ApiGateway::Method', 5);
  });

  test('requires the API key on every route but /health', () => {
    expect(method(template, 'process-drawing', 'POST').ApiKeyRequired).toBe(true);
    expect(method(template, '{job_id}', 'GET').ApiKeyRequired).toBe(true);
    expect(method(template, 'uploads', 'POST').ApiKeyRequired).toBe(true);
    expect(method(template, 'jobs', 'GET').ApiKeyRequired).toBe(true);
    expect(method(template, 'health', 'GET').ApiKeyRequired).toBe(false);
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      ApiStages: [Match.objectLike({ Stage: { Ref: Match.stringLikeRegexp('Deployment') } })],
      Throttle: { RateLimit: 50, BurstLimit: 100 },
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });

  test("answers API Gateway's own 4xx and 5xx errors in the platform's error shape", () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseTemplates: {
          'application/json':
            '{"error":{"code":"$context.error.responseType","message":$context.error.messageString}}',
        },
      });
    }
  });

  test('integrates every route with the live alias of its function, never $LATEST', () => {
    for (const [pathPart, httpMethod, fn] of [
      ['process-drawing', 'POST', 'process-drawing'],
      ['{job_id}', 'GET', 'status'],
      ['health', 'GET', 'health'],
    ]) {
      const uri = JSON.stringify(method(template, pathPart, httpMethod).Integration.Uri);
      const aliases = template.findResources('AWS::Lambda::Alias', {
        Properties: { FunctionName: { Ref: functionId(template, 'prod', fn) } },
      });
      expect(uri).toContain(Object.keys(aliases)[0]);
      expect(uri).not.toContain(functionId(template, 'prod', fn));
    }
  });

  test('validates requests, takes binary PDF and multipart bodies, traces and logs access', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'security-assistant-prod-api',
      BinaryMediaTypes: ['multipart/form-data', 'application/pdf'],
    });
    // bodies are the functions' to validate (per-field codes): docs/decisions/0015
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: false,
      ValidateRequestParameters: true,
    });
    expect(method(template, '{job_id}', 'GET').RequestParameters).toEqual({
      'method.request.path.job_id': true,
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR', MetricsEnabled: true })],
    });
  });

  test('names the API stage after the platform stage', () => {
    platformFor('dev').template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
    });
  });
});
