/**
 * A named consumer of the API — a team, an integration, the synthetic job — as the construct
 * configures it (env `CALLERS`, JSON): the API keys that act for it, or under IAM auth the
 * principals, and the clients it may submit for.
 */
export interface Caller {
  readonly name: string;
  /** API Gateway API key ids of the caller (more than one while a key is rotated). */
  readonly keyIds?: readonly string[];
  /** IAM principal ARNs (users or roles) of the caller, under IAM auth. */
  readonly principals?: readonly string[];
  /** The client names it may submit for; every client when absent. */
  readonly clients?: readonly string[];
  /** Reads the jobs created before jobs had owners (the migration's designated caller). */
  readonly admin?: boolean;
}

/** The identity API Gateway puts in `requestContext.identity`. */
export interface RequestIdentity {
  readonly apiKeyId?: string | null;
  readonly userArn?: string | null;
}

/** Who is asking: the caller, and how it authenticated (recorded on the jobs it creates). */
export interface ResolvedCaller {
  readonly caller: Caller;
  readonly submittedBy: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The callers of `CALLERS`, checked: a bad value fails the function's start, not a request. */
export function callersFrom(json: string | undefined): Caller[] {
  if (!json) throw new Error('CALLERS must name the callers of the API (JSON)');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('CALLERS must be a JSON list of callers');
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error('CALLERS must be a non-empty JSON list of callers');
  }
  const strings = (v: unknown) =>
    v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
  for (const c of value as Caller[]) {
    if (!c || typeof c.name !== 'string' || !NAME.test(c.name)) {
      throw new Error(
        `CALLERS: ${JSON.stringify(c)} needs a name of lower-case letters, digits and dashes`,
      );
    }
    if (!strings(c.keyIds) || !strings(c.principals) || !strings(c.clients)) {
      throw new Error(
        `CALLERS: keyIds, principals and clients of ${c.name} must be lists of strings`,
      );
    }
  }
  return value as Caller[];
}

/**
 * The caller behind a request: by its API key id, else by its IAM principal (an assumed
 * role's session is its role). Undefined when neither belongs to a configured caller.
 */
export function callerOf(
  identity: RequestIdentity | null | undefined,
  callers: readonly Caller[],
): ResolvedCaller | undefined {
  const keyId = identity?.apiKeyId;
  if (keyId) {
    const caller = callers.find((c) => c.keyIds?.includes(keyId));
    if (caller) return { caller, submittedBy: `apikey:${keyId}` };
  }
  const arn = identity?.userArn;
  if (arn) {
    const principal = principalOf(arn);
    const caller = callers.find((c) => c.principals?.some((p) => principalOf(p) === principal));
    if (caller) return { caller, submittedBy: `iam:${arn}` };
  }
  return undefined;
}

/**
 * A principal as `<account>:<kind>/<name>`: `arn:aws:sts::1:assumed-role/R/session` and
 * `arn:aws:iam::1:role/path/R` are both `1:role/R`.
 */
function principalOf(arn: string): string {
  const match = /^arn:[\w-]+:(?:iam|sts)::(\d{12}):(user|role|assumed-role)\/(.+)$/.exec(arn);
  if (!match) return arn;
  const [, account, kind, rest] = match;
  const parts = rest.split('/');
  const name = kind === 'assumed-role' ? parts[0] : parts[parts.length - 1];
  return `${account}:${kind === 'user' ? 'user' : 'role'}/${name}`;
}

/** Whether the caller may see the job: its own, or an ownerless (older) one for an admin. */
export function mayRead(caller: Caller, job: { owner?: string }): boolean {
  return job.owner === undefined ? caller.admin === true : job.owner === caller.name;
}
