/** The parts of a synthesized CloudFormation template the local platform reads. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/** What a resource resolves to once it exists on the emulator. */
export interface PhysicalResource {
  /** `Ref` */
  readonly ref: string;
  /** `Fn::GetAtt` attributes */
  readonly attributes?: Record<string, string>;
}

/** Resolves the intrinsic functions CDK emits, against resources created on the emulator. */
export class Resolver {
  private readonly physical = new Map<string, PhysicalResource>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly pseudo: Record<string, string>,
  ) {}

  public register(logicalId: string, resource: PhysicalResource): void {
    this.physical.set(logicalId, resource);
  }

  public resolve(value: unknown): any {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0] as [string, any];
      switch (fn) {
        case 'Ref':
          return this.ref(arg);
        case 'Fn::GetAtt':
          return this.getAtt(arg[0], arg[1]);
        case 'Fn::Join':
          return (this.resolve(arg[1]) as unknown[]).join(arg[0]);
        case 'Fn::Select':
          return this.resolve(arg[1])[Number(this.resolve(arg[0]))];
        case 'Fn::Split':
          return String(this.resolve(arg[1])).split(arg[0]);
        default:
          if (fn.startsWith('Fn::')) {
            throw new Error(`the local platform cannot resolve ${fn} (${JSON.stringify(arg)})`);
          }
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  /** Logical ids a value refers to (through Ref or Fn::GetAtt), in order. */
  public references(value: unknown): string[] {
    if (value === null || typeof value !== 'object') return [];
    if (Array.isArray(value)) return value.flatMap((v) => this.references(v));
    const record = value as Record<string, any>;
    if (typeof record.Ref === 'string') return [record.Ref];
    if (Array.isArray(record['Fn::GetAtt'])) return [record['Fn::GetAtt'][0]];
    return Object.values(record).flatMap((v) => this.references(v));
  }

  private ref(logicalId: string): string {
    if (logicalId in this.pseudo) return this.pseudo[logicalId];
    const resource = this.physical.get(logicalId);
    if (resource) return resource.ref;
    if (logicalId in this.template.Resources) return `local-${logicalId}`;
    throw new Error(`Ref to unknown logical id ${logicalId}`);
  }

  private getAtt(logicalId: string, attribute: string): string {
    const value = this.physical.get(logicalId)?.attributes?.[attribute];
    if (value === undefined) {
      throw new Error(`the local platform has no ${attribute} for ${logicalId}`);
    }
    return value;
  }
}

/** The resources of one type, as [logicalId, properties]. */
export function resourcesOfType(
  template: CfnTemplate,
  type: string,
): Array<[string, Record<string, any>]> {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}
