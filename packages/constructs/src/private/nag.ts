import { AspectPriority, Aspects, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges a cdk-nag finding on `scope` and everything below it, for both majors:
 * cdk-nag 3 reads `Validations` acknowledgements (`AwsSolutions-IAM5[Resource::*]`), cdk-nag 2
 * reads `cdk_nag` metadata on each CloudFormation resource (`{id, reason, applies_to}`), which
 * {@link NagMetadataAspect} writes from the same acknowledgements.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
  NagMetadataAspect.attach(scope);
}

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::<arn><suffix>]` on `scope`, for a grant on
 * `arn` + `suffix`. The finding names the resource the way cdk-nag renders it, which depends
 * on where the resource sits: `<LogicalId.Arn>` in the same stack, the export's name once a
 * cross-stack reference has become an `Fn::ImportValue`. So it is computed twice: now (what
 * cdk-nag 2, an aspect, sees) and once references are final (what cdk-nag 3 sees, after
 * synthesis).
 */
export function acknowledgeResourceWildcard(
  scope: IConstruct,
  arn: string,
  suffix: string,
  reason: string,
): void {
  const finding = () =>
    `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}${suffix}]`;
  acknowledge(scope, finding(), reason);
  scope.node.addValidation({
    validate: () => {
      // Cross-stack references are resolved before validation: acknowledge the final form too.
      Validations.of(scope).acknowledge({ id: finding(), reason });
      return [];
    },
  });
}

/** Renders a resolved CloudFormation value the way cdk-nag names it in a finding. */
function flatten(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(flatten).join('');
  }
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [resource, attribute] = v['Fn::GetAtt'] as string[];
      return `<${resource}.${attribute}>`;
    }
    if (typeof v.Ref === 'string') {
      return `<${v.Ref}>`;
    }
    if ('Fn::ImportValue' in v) {
      return flatten(v['Fn::ImportValue']);
    }
    if (Array.isArray(v['Fn::Join'])) {
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(separator);
    }
  }
  throw new Error(`cannot name the cdk-nag finding for ${JSON.stringify(value)}`);
}

/**
 * Writes every acknowledgement that applies to a CloudFormation resource (its own and its
 * ancestors') into the resource's `cdk_nag` metadata, in cdk-nag 2's format: a finding goes
 * into `applies_to`, as cdk-nag 2 refuses ids that carry one. It runs before read-only aspects
 * such as cdk-nag 2's packs.
 */
const NAG_ASPECT_ATTACHED = Symbol.for('@security-assistant/constructs.NagMetadataAspect');

class NagMetadataAspect implements IAspect {
  /** Adds the aspect to the stack of `scope`, once per stack. */
  public static attach(scope: IConstruct): void {
    const stack = Stack.of(scope) as unknown as Record<symbol, boolean>;
    if (!stack[NAG_ASPECT_ATTACHED]) {
      stack[NAG_ASPECT_ATTACHED] = true;
      Aspects.of(Stack.of(scope)).add(new NagMetadataAspect(), {
        priority: AspectPriority.MUTATING,
      });
    }
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) {
      return;
    }
    const byRule = new Map<
      string,
      { id: string; reason: string; applies_to?: string[]; whole?: boolean }
    >();
    for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
      for (const entry of current.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) {
          continue;
        }
        for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
          const id = qualified.replace(/^annotation::/i, '');
          const m = /^([^[]+)\[(.+)\]$/.exec(id);
          const rule = m ? m[1] : id;
          const existing = byRule.get(rule) ?? { id: rule, reason };
          if (m) {
            existing.applies_to = [...new Set([...(existing.applies_to ?? []), m[2]])];
          } else {
            existing.whole = true;
          }
          byRule.set(rule, existing);
        }
      }
    }
    if (byRule.size > 0) {
      // An acknowledgement of the whole rule covers every finding of it.
      const rules = [...byRule.values()].map(({ whole, applies_to, ...rule }) =>
        whole || !applies_to ? rule : { ...rule, applies_to },
      );
      node.addMetadata('cdk_nag', { rules_to_suppress: rules });
    }
  }
}
