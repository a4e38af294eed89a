import { API_VERSION, ROUTES, SCHEMAS, type Route, type Schema } from './api-contract';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  403: 'Not allowed',
  404: 'Not found',
  413: 'Too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'The function failed',
  503: 'Unavailable; nothing was kept, try again',
  504: 'The function timed out',
};

/** An error answer: the error shape, its code one of `codes`. */
function errorResponse(status: number, codes: string[]) {
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.join(', ')}`,
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Error' },
            { properties: { error: { properties: { code: { type: 'string', enum: codes } } } } },
          ],
        },
      },
    },
  };
}

function operation(route: Route) {
  // OpenAPI ignores a Content-Type header parameter: the request body's media types say it
  const documented = route.parameters.filter(
    (p) => !(p.in === 'header' && p.name.toLowerCase() === 'content-type'),
  );
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    security: route.authenticated ? [{ apiKey: [] }, { sigv4: [] }] : [],
    ...(documented.length && {
      parameters: documented.map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required,
        description: p.description,
        schema: p.schema,
      })),
    }),
    ...(route.body && {
      requestBody: {
        required: true,
        content: Object.fromEntries(
          Object.entries(route.body).map(([type, { schema }]) => [type, { schema }]),
        ),
      },
    }),
    responses: {
      [route.success.status]: {
        description: route.success.description,
        content: {
          'application/json': { schema: { $ref: `#/components/schemas/${route.success.schema}` } },
        },
      },
      ...Object.fromEntries(
        Object.entries(route.errors).map(([status, codes]) => [
          status,
          errorResponse(Number(status), codes),
        ]),
      ),
    },
  };
}

/**
 * The OpenAPI 3.1 document of the API, from the same contract API Gateway's methods,
 * request parameters and models are built from.
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Security Assistant Platform API',
      version: API_VERSION,
      description:
        'Submit PDF security drawings and follow their jobs to a component schedule. Every error ' +
        'is {"error": {"code", "message"}}, whether a function or API Gateway raised it; an ' +
        'unknown route is 403 MISSING_AUTHENTICATION_TOKEN. Callers see only their own jobs.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [
      {
        url: '{baseUrl}',
        description: "The stack's ApiUrl output, or the local platform's URL (with the stage)",
        variables: { baseUrl: { default: 'http://127.0.0.1:3000/dev' } },
      },
    ],
    paths,
    components: {
      schemas: SCHEMAS as Record<string, Schema>,
      securitySchemes: {
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: "The caller's API key (authorization: 'apiKey', the default)",
        },
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: "An AWS SigV4 signature for execute-api (authorization: 'iam')",
        },
      },
    },
  };
}
