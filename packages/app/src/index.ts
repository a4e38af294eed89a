export * from './app';
export * from './environments';
export * from './platform-stack';
