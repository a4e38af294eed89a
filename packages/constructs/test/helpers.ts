import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SecurityAssistantPlatform, SecurityAssistantPlatformProps } from '../src';
import { Stage } from '../src/private/presets';

/** The version of an installed package, read from its package.json. */
export function installedVersion(name: string): string {
  return (
    JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }
  ).version;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: Stack;
  readonly platform: SecurityAssistantPlatform;
  readonly template: Template;
}

/** Given a stack with no account or region, when the platform is added, then its template. */
export function synthPlatform(
  props: SecurityAssistantPlatformProps,
  context: Record<string, unknown> = {},
): Synthesized {
  const app = new App({ context });
  const stack = new Stack(app, 'PlatformStack');
  const platform = new SecurityAssistantPlatform(stack, 'Platform', props);
  return { app, stack, platform, template: Template.fromStack(stack) };
}

const cache = new Map<Stage, Synthesized>();

/** The default platform of a stage, synthesized once per test file. */
export function platformFor(stage: Stage): Synthesized {
  let synthesized = cache.get(stage);
  if (!synthesized) {
    synthesized = synthPlatform({ stage });
    cache.set(stage, synthesized);
  }
  return synthesized;
}

/** The logical id of the one resource of `type` whose properties match `props`. */
export function logicalId(
  template: Template,
  type: string,
  props: Record<string, unknown>,
): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} matching ${JSON.stringify(props)}, found ${found.length}`,
    );
  }
  return found[0];
}

/** The logical id of the function named `security-assistant-<stage>-<name>`. */
export function functionId(template: Template, stage: Stage, name: string): string {
  return logicalId(template, 'AWS::Lambda::Function', {
    FunctionName: `security-assistant-${stage}-${name}`,
  });
}

/** Every IAM statement attached to the role of `functionLogicalId`. */
export function statementsOf(template: Template, functionLogicalId: string): Statement[] {
  const fn = template.toJSON().Resources[functionLogicalId];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

export interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
}

/** The actions of all statements, sorted, flattened. */
export function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
}

export const API_FUNCTIONS = ['process-drawing', 'status', 'health'] as const;
export const ALL_FUNCTIONS = [...API_FUNCTIONS, 'processor', 'dlq-processor'] as const;
