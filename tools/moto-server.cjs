// Starts moto server (the AWS API emulator, from the project's .venv) on 127.0.0.1 and
// stops it again. Used by the handler tests' jest globalSetup and by the local platform.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const VENV_BIN = path.join(__dirname, '..', '.venv', 'bin');
const MOTO = path.join(VENV_BIN, 'moto_server');
const PYTHON = path.join(VENV_BIN, 'python');
/** moto's app served by waitress (tools/moto_serve.py); MOTO_SERVER=werkzeug runs moto's own. */
const SERVE = path.join(__dirname, 'moto_serve.py');

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with code ${child.exitCode}`);
    }
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within ${timeoutMs} ms`);
}

/**
 * @param {{ port?: number, timeoutMs?: number, script?: string }} [options] port 0 or none: a
 *   free port; script: a Python entry point to serve instead of tools/moto_serve.py (one that
 *   takes the same arguments, such as tools/moto_rehearsal.py)
 * @returns {Promise<{ url: string, port: number, child: import('node:child_process').ChildProcess, stop: () => Promise<void> }>}
 */
async function startMotoServer(options = {}) {
  if (!existsSync(MOTO)) {
    throw new Error(`${MOTO} not found: run 'npx projen venv' from the repository root`);
  }
  const port = options.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const [command, args] =
    process.env.MOTO_SERVER === 'werkzeug'
      ? [MOTO, ['-H', '127.0.0.1', '-p', String(port)]]
      : [PYTHON, [options.script ?? SERVE, '-H', '127.0.0.1', '-p', String(port)]];
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  try {
    await waitUntilReady(url, child, options.timeoutMs ?? 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${stderr}`);
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  return { url, port, child, stop };
}

module.exports = { startMotoServer };
