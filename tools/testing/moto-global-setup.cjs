// Jest globalSetup: starts moto server on 127.0.0.1 on a free port and points every AWS SDK
// client at it through AWS_ENDPOINT_URL. Test workers are forked after this runs, so they
// inherit the environment.
const { startMotoServer } = require('../moto-server.cjs');

module.exports = async function startMoto() {
  const moto = await startMotoServer();
  globalThis.__MOTO__ = moto;

  // Credentials and region for the emulator only; moto accepts any values.
  process.env.AWS_ENDPOINT_URL = moto.url;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = process.env.AWS_REGION || 'us-east-1';
  process.env.AWS_DEFAULT_REGION = process.env.AWS_REGION;
  process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL || 'SILENT';
};
