// Jest globalTeardown: stops the moto server started by moto-global-setup.cjs.
module.exports = async function stopMoto() {
  const child = globalThis.__MOTO__;
  if (!child || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
};
