import { Match } from 'aws-cdk-lib/assertions';
import { platformFor, synthPlatform } from './helpers';

const CALLERS = [
  { name: 'team-a', quotaPerDay: 5000 },
  { name: 'integrator', clients: ['Acme'], rateLimit: 5, burstLimit: 10 },
  { name: 'retired', enabled: false },
];

/** The CALLERS value a function is given, with each key id's Ref left as the logical id. */
function callersOf(template: ReturnType<typeof synthPlatform>['template'], fn: string): any[] {
  const [resource] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: Match.stringLikeRegexp(`${fn}$`) },
    }),
  ) as any[];
  const value = resource.Properties.Environment.Variables.CALLERS;
  if (typeof value === 'string') return JSON.parse(value);
  const parts: unknown[] = value['Fn::Join'][1];
  return JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : `ref:${p.Ref}`)).join(''));
}

describe('callers', () => {
  const { template } = synthPlatform({ stage: 'prod', callers: CALLERS });

  test('gives every caller its own key in its own usage plan, with its limits', () => {
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 3);
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 3);
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 3);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'security-assistant-prod-api-team-a-usage-plan',
      Quota: { Limit: 5000, Period: 'DAY' },
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'security-assistant-prod-api-integrator-usage-plan',
      Throttle: { RateLimit: 5, BurstLimit: 10 },
    });
    // a revoked caller's key is kept, disabled
    template.hasResourceProperties('AWS::ApiGateway::ApiKey', {
      Name: 'security-assistant-prod-api-retired-key',
      Enabled: false,
    });
  });

  test('tells the API functions each caller by key id, and adds the synthetic job’s caller', () => {
    for (const fn of ['process-drawing', 'status']) {
      const callers = callersOf(template, fn);
      expect(callers.map((c) => c.name)).toEqual(['team-a', 'integrator', 'retired', 'synthetic']);
      expect(callers[0].keyIds).toEqual([expect.stringMatching(/^ref:.*ApiKeyTeamA/)]);
      expect(callers[1].clients).toEqual(['Acme']);
      expect(callers[3]).toEqual({
        name: 'synthetic',
        keyIds: ['synthetic-job'],
        clients: ['synthetic'],
      });
    }
  });

  test('without callers, keeps the one key and usage plan it always had, as an admin caller', () => {
    const prod = platformFor('prod').template;
    prod.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    prod.hasResourceProperties('AWS::ApiGateway::ApiKey', {
      Name: 'security-assistant-prod-api-key',
    });
    prod.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'security-assistant-prod-api-usage-plan',
    });
    const [id] = Object.keys(prod.findResources('AWS::ApiGateway::ApiKey'));
    // the logical id of the key before callers existed: no new key value on upgrade
    expect(id).toMatch(/^PlatformServiceApiApiKey[0-9A-F]{8}$/);
    expect(callersOf(prod, 'status')[0]).toEqual({
      name: 'default',
      keyIds: [`ref:${id}`],
      admin: true,
    });
  });

  test('rotates a key without a gap: both versions work in one plan, then the old one goes', () => {
    const rotating = synthPlatform({
      stage: 'dev',
      callers: [{ name: 'team-a', keyVersions: [1, 2] }, { name: 'other' }],
    }).template;

    rotating.resourceCountIs('AWS::ApiGateway::ApiKey', 3);
    rotating.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 3);
    rotating.hasResourceProperties('AWS::ApiGateway::ApiKey', {
      Name: 'security-assistant-dev-api-team-a-key-v2',
    });
    const [a] = callersOf(rotating, 'status');
    expect(a.keyIds).toEqual([
      expect.stringMatching(/^ref:.*ApiKeyTeamA[0-9A-F]{8}$/),
      expect.stringMatching(/^ref:.*ApiKeyTeamAV2/),
    ]);
    const rotated = callersOf(
      synthPlatform({ stage: 'dev', callers: [{ name: 'team-a', keyVersions: [2] }] }).template,
      'status',
    )[0];
    expect(rotated.keyIds).toEqual([expect.stringMatching(/^ref:.*ApiKeyTeamAV2/)]);
  });

  test('under IAM authorization, signs every route but /health and knows callers by principal', () => {
    const { template: iam } = synthPlatform({
      stage: 'dev',
      authorization: 'iam',
      callers: [{ name: 'pipeline', principalArns: ['arn:aws:iam::111122223333:role/deployer'] }],
    });

    iam.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    expect(
      Object.values(iam.findResources('AWS::ApiGateway::Method'))
        .map((m: any) => m.Properties.AuthorizationType)
        .sort(),
    ).toEqual(['AWS_IAM', 'AWS_IAM', 'AWS_IAM', 'AWS_IAM', 'NONE']);
    expect(callersOf(iam, 'status')[0]).toEqual({
      name: 'pipeline',
      principals: ['arn:aws:iam::111122223333:role/deployer'],
    });
  });

  test.each([
    [{ callers: [{ name: 'Team A' }] }, /lower-case letters, digits and dashes/],
    [{ callers: [{ name: 'a' }, { name: 'a' }] }, /'a' is named twice/],
    [{ callers: [{ name: 'synthetic' }] }, /post-traffic hook's own caller/],
    [{ callers: [{ name: 'a', rateLimit: 0 }] }, /callers.a.rateLimit/],
    [{ authorization: 'cognito' }, /authorization must be one of apiKey, iam/],
    [{ authorization: 'iam' }, /authorization 'iam' needs callers/],
    [{ authorization: 'iam', callers: [{ name: 'a' }] }, /'a' needs principalArns/],
    [
      { authorization: 'iam', callers: [{ name: 'a', principalArns: ['deployer'] }] },
      /must be an IAM user or role ARN/,
    ],
    [
      { callers: [{ name: 'a', principalArns: ['arn:aws:iam::111122223333:role/x'] }] },
      /only authorization 'iam' uses/,
    ],
    [{ callers: [{ name: 'a', keyVersions: [1, 2, 3] }] }, /keyVersions must be one or two/],
    [{ callers: [{ name: 'a', keyVersions: [] }] }, /keyVersions must be one or two/],
    [{ wafRateLimit: 5 }, /wafRateLimit must be an integer between 10 and 2000000000/],
  ])('refuses %j at synthesis', (props, message) => {
    expect(() => synthPlatform({ stage: 'dev', ...props })).toThrow(message);
  });
});

describe('WAF', () => {
  test('guards the prod stage by default, with a rate per IP, managed groups and a body-size rule', () => {
    const { template } = platformFor('prod');

    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    const [association] = Object.values(
      template.findResources('AWS::WAFv2::WebACLAssociation'),
    ) as any[];
    // arn:…:apigateway:<region>::/restapis/<api>/stages/<the stage resource>
    const arn = JSON.stringify(association.Properties.ResourceArn);
    expect(arn).toMatch(
      /:apigateway:.*::\/restapis\/.*\/stages\/.*"Ref":"PlatformServiceApiDeploymentStageprod/,
    );
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL')) as any[];
    const rules = acl.Properties.Rules;
    expect(rules.map((r: any) => r.Name)).toEqual([
      'RatePerIp',
      'BodyTooLarge',
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesCommonRuleSet',
    ]);
    expect(rules[0].Statement.RateBasedStatement).toEqual({ Limit: 1000, AggregateKeyType: 'IP' });
    // drawings are binary bodies: the common set's body rules only count
    expect(
      rules[4].Statement.ManagedRuleGroupStatement.RuleActionOverrides.map((o: any) => o.Name),
    ).toEqual(['SizeRestrictions_BODY', 'CrossSiteScripting_BODY', 'GenericRFI_BODY']);
  });

  test('blocks a declared body above the upload limit plus 64 KiB, and nothing at or below it', () => {
    const { template } = synthPlatform({ stage: 'staging', waf: true, maxUploadBytes: 4_194_304 });
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL')) as any[];
    const rule = acl.Properties.Rules.find((r: any) => r.Name === 'BodyTooLarge');
    const pattern = new RegExp(rule.Statement.RegexMatchStatement.RegexString);
    const limit = 4_194_304 + 65_536;

    for (const n of [0, 1, 999, limit - 1, limit, 4_000_000]) {
      expect(pattern.test(String(n))).toBe(false);
    }
    for (const n of [limit + 1, limit + 10, 4_300_000, 9_999_999, 10_000_000, 123_456_789]) {
      expect(pattern.test(String(n))).toBe(true);
    }
  });

  test('is off in dev unless asked, and shows on the operations dashboard when on', () => {
    platformFor('dev').template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const { template } = platformFor('prod');
    const [dashboard] = Object.values(
      template.findResources('AWS::CloudWatch::Dashboard', {
        Properties: { DashboardName: 'security-assistant-prod-operations' },
      }),
    ) as any[];
    expect(JSON.stringify(dashboard.Properties.DashboardBody)).toMatch(
      /AWS\/WAFV2.*BlockedRequests/,
    );
  });
});
