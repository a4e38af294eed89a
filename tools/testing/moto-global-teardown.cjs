// Jest globalTeardown: stops the moto server started by moto-global-setup.cjs.
module.exports = async function stopMoto() {
  await globalThis.__MOTO__?.stop();
};
