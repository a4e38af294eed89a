import { loadConfig, withDeploymentProbe } from '@security-assistant/layer-common/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { json } from '../http/responses';

const config = loadConfig(['stage', 'serviceVersion']);

/** `GET /health`: proves the function answers and says which release and stage it is. */
export const handler = withDeploymentProbe('health', async (): Promise<APIGatewayProxyResult> =>
  json(200, { status: 'ok', version: config.serviceVersion, stage: config.stage }),
);
