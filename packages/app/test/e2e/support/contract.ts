import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The API's OpenAPI document, as the construct package ships it. */
export const OPENAPI_PATH = require.resolve('@security-assistant/constructs/openapi.json');

interface Operation {
  readonly requestBody?: { content: Record<string, unknown> };
  readonly responses: Record<string, { content?: Record<string, unknown> }>;
}

/** `a/b` as a JSON pointer token, URI-encoded for a `$ref`. */
const token = (s: string) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * The API's contract, read from its OpenAPI document: which routes exist, what each answers
 * (status and body, error codes included) and which request bodies it takes. Every schema is
 * checked with Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect).
 */
export class Contract {
  public readonly document: any = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv.addSchema(this.document, 'openapi');
  }

  /**
   * What is wrong with an answer to `method path` (the path after the stage, with its query):
   * an undocumented status, or a body the document does not allow. Empty when it conforms.
   * A path no route matches may only be API Gateway's 403 MISSING_AUTHENTICATION_TOKEN.
   */
  answerProblems(method: string, path: string, status: number, body: unknown): string[] {
    const at = `${method} ${path.slice(0, 80)} -> ${status}`;
    const route = this.route(method, path);
    if (!route) {
      const ok = status === 403 && (body as any)?.error?.code === 'MISSING_AUTHENTICATION_TOKEN';
      return ok ? [] : [`${at}: no documented route, and not 403 MISSING_AUTHENTICATION_TOKEN`];
    }
    const response = route.operation.responses[String(status)];
    if (!response) return [`${at}: status not documented for ${method} ${route.template}`];
    const pointer = ['paths', route.template, method.toLowerCase(), 'responses', String(status)];
    return this.problems(at, [...pointer, 'content', 'application/json', 'schema'], body);
  }

  /** What is wrong with a JSON request body for `method path`, by the document. */
  requestProblems(method: string, path: string, body: unknown): string[] {
    const route = this.route(method, path);
    if (!route?.operation.requestBody?.content['application/json']) {
      return [`${method} ${path}: takes no JSON body`];
    }
    const pointer = ['paths', route.template, method.toLowerCase(), 'requestBody', 'content'];
    return this.problems(
      `${method} ${path} request`,
      [...pointer, 'application/json', 'schema'],
      body,
    );
  }

  /** The documented route `method path` matches (its path template and operation). */
  route(method: string, path: string): { template: string; operation: Operation } | undefined {
    const pathname = path.split('?')[0];
    for (const [template, item] of Object.entries<Record<string, Operation>>(this.document.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^/]+\}/g, '[^/]+')}$`);
      const operation = item[method.toLowerCase()];
      if (operation && pattern.test(pathname)) return { template, operation };
    }
    return undefined;
  }

  private problems(at: string, pointer: string[], value: unknown): string[] {
    const ref = `openapi#/${pointer.map(token).join('/')}`;
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${at}: ${e.instancePath || 'body'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }
}

/** The contract every end-to-end test checks against: the document is read and compiled once. */
export const contract = new Contract();
