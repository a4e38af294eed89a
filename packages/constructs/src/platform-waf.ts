import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Properties of the {@link PlatformWaf}. */
export interface PlatformWafProps {
  /** The web ACL's name (and its metrics'). */
  readonly name: string;
  /** The REST API whose deployment stage the web ACL guards. */
  readonly api: apigateway.RestApi;
  /** Requests one IP address may make in 5 minutes before it is blocked. */
  readonly rateLimitPer5Minutes: number;
  /**
   * The largest request body the API takes directly (`maxUploadBytes`); bigger drawings go
   * through `POST /uploads`. Requests declaring more, plus 64 KiB for the form's other parts,
   * are blocked at the edge.
   */
  readonly maxBodyBytes: number;
}

/** The AWS managed rule groups the web ACL applies, in order. */
const MANAGED_GROUPS: Array<{ name: string; countOnly?: string[] }> = [
  { name: 'AWSManagedRulesAmazonIpReputationList' },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet' },
  // drawings are binary PDF bodies: the body rules of the common set would block them
  {
    name: 'AWSManagedRulesCommonRuleSet',
    countOnly: ['SizeRestrictions_BODY', 'CrossSiteScripting_BODY', 'GenericRFI_BODY'],
  },
];

/**
 * An AWS WAF web ACL on the API stage: a rate-based rule per IP address, AWS managed rule
 * groups (IP reputation, known bad inputs, the common rule set with its body rules counting
 * only) and a body-size rule from the upload limit. Its blocks reach clients through API
 * Gateway's WAF_FILTERED response, in the API's error shape.
 */
export class PlatformWaf extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PlatformWafProps,
  ) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: 'RatePerIp',
        priority: 0,
        action: { block: {} },
        statement: {
          rateBasedStatement: { limit: props.rateLimitPer5Minutes, aggregateKeyType: 'IP' },
        },
        visibilityConfig: visibility(`${props.name}-rate-per-ip`),
      },
      {
        name: 'BodyTooLarge',
        priority: 1,
        action: { block: {} },
        statement: {
          regexMatchStatement: {
            fieldToMatch: { singleHeader: { Name: 'content-length' } },
            regexString: greaterThan(props.maxBodyBytes + 64 * 1024),
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        visibilityConfig: visibility(`${props.name}-body-too-large`),
      },
      ...MANAGED_GROUPS.map(({ name, countOnly }, i) => ({
        name,
        priority: 2 + i,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            ruleActionOverrides: countOnly?.map((rule) => ({
              name: rule,
              actionToUse: { count: {} },
            })),
          },
        },
        visibilityConfig: visibility(`${props.name}-${name}`),
      })),
    ];
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility(props.name),
    });
    const { api } = props;
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      webAclArn: this.webAcl.attrArn,
      resourceArn: Stack.of(this).formatArn({
        service: 'apigateway',
        account: '',
        resource: '/restapis',
        resourceName: `${api.restApiId}/stages/${api.deploymentStage.stageName}`,
      }),
    });
  }

  /** Allowed and blocked requests, for the operations dashboard. */
  public widget(): cloudwatch.GraphWidget {
    const metric = (metricName: string, label: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName,
        dimensionsMap: {
          WebACL: this.props.name,
          Region: Stack.of(this).region,
          Rule: 'ALL',
        },
        statistic: 'Sum',
        label,
      });
    return new cloudwatch.GraphWidget({
      title: 'WAF: requests allowed and blocked',
      left: [metric('AllowedRequests', 'allowed'), metric('BlockedRequests', 'blocked')],
      width: 12,
    });
  }
}

/**
 * A regular expression matching a decimal number greater than `limit` (no sign, no leading
 * zeros): more digits, or as many and larger at the first digit that differs.
 */
function greaterThan(limit: number): string {
  const digits = String(Math.floor(limit));
  const alternatives = [`[1-9]\\d{${digits.length},}`];
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    if (d === 9) continue;
    const rest = digits.length - i - 1;
    alternatives.push(
      `${digits.slice(0, i)}[${d + 1}-9]${rest ? `\\d{${rest}}` : ''}`.replace('[9-9]', '9'),
    );
  }
  return `^(?:${alternatives.join('|')})$`;
}
