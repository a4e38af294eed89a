import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

/** A typed client of the platform's API, generated from its OpenAPI document. */
export type PlatformClient = Client<paths>;

/**
 * A client of the API at `baseUrl` (the stack's ApiUrl output, or the local platform's URL,
 * with the stage) acting as the caller whose key is `apiKey` (none: `/health` only). Paths,
 * parameters, bodies and answers are typed by the document, so a change to the contract
 * breaks the code that uses it at compile time.
 */
export function platformClient(baseUrl: string, apiKey?: string): PlatformClient {
  return createClient<paths>({ baseUrl, headers: apiKey ? { 'x-api-key': apiKey } : {} });
}
