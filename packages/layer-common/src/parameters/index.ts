import { getParameter } from '@aws-lambda-powertools/parameters/ssm';

/**
 * Reads an SSM SecureString (decrypted) through Powertools Parameters, cached for
 * `maxAgeSeconds` so a warm function does not call SSM on every invocation.
 */
export async function getSecureParameter(name: string, maxAgeSeconds = 300): Promise<string> {
  const value = await getParameter(name, { decrypt: true, maxAge: maxAgeSeconds });
  if (value === undefined) {
    throw new Error(`SSM parameter ${name} has no value`);
  }
  return value;
}
