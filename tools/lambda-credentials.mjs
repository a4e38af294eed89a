// Stands in for @aws-sdk/credential-provider-node in Lambda bundles (tools/esbuild-options.mjs).
// Lambda hands every function its role's credentials in environment variables, and so does
// the local platform; the default chain's other providers (SSO, INI files, processes, web
// identity, instance metadata) and the STS/SSO/sign-in clients they pull in are dead weight
// in a Lambda bundle: about 60 KiB and their load time per SDK handler.
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The SDK clients' default credential provider, environment only. */
export const defaultProvider = (init = {}) => fromEnv(init);
