import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type { Schema } from './api-contract';

/** A contract schema (JSON Schema 2020-12) as API Gateway's model dialect (draft 4). */
export function gatewaySchema(schema: Schema): apigateway.JsonSchema {
  const {
    const: constant,
    type,
    properties,
    items,
    additionalProperties,
    ...rest
  } = schema as Record<string, any>;
  const types = (Array.isArray(type) ? type : type === undefined ? [] : [type]) as string[];
  const typeOf = (t: string) => t as apigateway.JsonSchemaType;
  return {
    ...rest,
    ...(constant !== undefined && { enum: [constant] }),
    ...(types.length && { type: types.length === 1 ? typeOf(types[0]) : types.map(typeOf) }),
    ...(properties && {
      properties: Object.fromEntries(
        Object.entries(properties as Record<string, Schema>).map(([k, v]) => [k, gatewaySchema(v)]),
      ),
    }),
    ...(items && { items: gatewaySchema(items) }),
    ...(additionalProperties !== undefined && {
      additionalProperties:
        typeof additionalProperties === 'boolean'
          ? additionalProperties
          : gatewaySchema(additionalProperties),
    }),
  };
}
