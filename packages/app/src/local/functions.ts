import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FUNCTION_NAMES, handlerAssetPath, type FunctionName } from '@security-assistant/functions';
import type { Context } from 'aws-lambda';
import { CfnTemplate, Resolver, resourcesOfType } from './cfn';

/** A handler of @security-assistant/functions, loaded from its bundle. */
export type Handler = (event: unknown, context: Context) => Promise<any>;

export interface LocalFunction {
  /** `process-drawing`, `status`, … */
  readonly name: string;
  readonly logicalId: string;
  readonly timeoutSeconds: number;
  /** The function's environment, resolved against the emulator. */
  readonly environment: Record<string, string>;
  readonly handler: Handler;
}

// tsc compiles `import()` to `require()` for CommonJS output, which cannot load the ESM
// bundles; this keeps a real dynamic import.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ handler: Handler }>;

/**
 * Loads the bundle of every function in the template that @security-assistant/functions
 * ships, the way Lambda would: the module is imported with that function's environment
 * (resolved from the template) in `process.env`, so its module-scope configuration sees
 * exactly what the deployed function sees. `extraEnv` adds variables per function name.
 */
export async function loadFunctions(
  template: CfnTemplate,
  resolver: Resolver,
  baseEnv: Record<string, string>,
  extraEnv: Record<string, Record<string, string>> = {},
): Promise<Map<string, LocalFunction>> {
  const original = { ...process.env };
  const loaded = new Map<string, LocalFunction>();
  try {
    for (const [logicalId, props] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const name = String(props.FunctionName ?? '').replace(/^security-assistant-[a-z]+-/, '');
      // Deploy hooks and CDK's own helper functions are not run locally.
      if (!(FUNCTION_NAMES as readonly string[]).includes(name)) continue;
      const taskRoot = handlerAssetPath(name as FunctionName);
      const bundle = join(taskRoot, 'index.mjs');
      const env = resolver.resolve(props.Environment?.Variables ?? {}) as Record<string, string>;
      // Lambda's own variable: where the function's code is (the processor finds its PDF
      // worker there).
      process.env = {
        ...original,
        ...baseEnv,
        ...env,
        LAMBDA_TASK_ROOT: taskRoot,
        ...extraEnv[name],
      };
      const module = await importEsm(pathToFileURL(bundle).href);
      loaded.set(logicalId, {
        name,
        logicalId,
        timeoutSeconds: Number(props.Timeout ?? 3),
        environment: env,
        handler: module.handler,
      });
    }
  } finally {
    // Configuration was read at import; later lazy reads see only the shared settings.
    process.env = { ...original, ...baseEnv };
  }
  return loaded;
}

/**
 * The function a `Ref`/`Fn::GetAtt` target designates: the function itself, or the function
 * behind an alias (API integrations and event sources point at aliases).
 */
export function functionBehind(
  template: CfnTemplate,
  resolver: Resolver,
  functions: Map<string, LocalFunction>,
  target: unknown,
): LocalFunction | undefined {
  for (const id of resolver.references(target)) {
    const resource = template.Resources[id];
    if (resource?.Type === 'AWS::Lambda::Function') return functions.get(id);
    if (resource?.Type === 'AWS::Lambda::Alias') {
      const [fnId] = resolver.references(resource.Properties?.FunctionName);
      if (fnId) return functions.get(fnId);
    }
  }
  return undefined;
}

/** A Lambda context whose remaining time counts down from the function's timeout. */
export function lambdaContext(fn: LocalFunction): Context {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.name,
    functionVersion: 'live',
    invokedFunctionArn: `local:${fn.name}:live`,
    memoryLimitInMB: '0',
    awsRequestId: randomUUID(),
    logGroupName: `local/${fn.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
