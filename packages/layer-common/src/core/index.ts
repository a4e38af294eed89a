// The part of layer-common that loads nothing else: configuration, errors and the deployment
// probe. A handler that logs nothing (health) imports `@security-assistant/layer-common/core`
// and starts without Powertools.
export * from '../errors';
export * from '../config';
export * from '../probe';
