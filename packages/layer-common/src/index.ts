export * from './errors';
export * from './config';
export * from './logging';
export * from './jobs';
export * from './probe';
export * from './metrics';
