// Packaging for the desktop console (`npm run dist`, on a machine where Electron's runtime
// can be downloaded). The fuses are flipped at package time, so a shipped Entente cannot be
// turned into a general-purpose Node runtime or have code injected into it:
//   runAsNode off              ELECTRON_RUN_AS_NODE is ignored
//   NODE_OPTIONS off           no --require of foreign code through the environment
//   inspect arguments off      no --inspect / SIGUSR1 debugger on the main process
//   asar integrity on          app.asar is checked against the hash baked into the binary
//   only load from asar on     together with the above: no unvalidated app code is loaded
//   file:// extra privileges off   the console loads from entente://, never from file://
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'org.entente.console',
  productName: 'Entente',
  directories: { buildResources: 'build', output: 'release' },
  // Only what the built app runs: the bundles, the console and the production dependencies.
  files: ['dist/**', '!dist/bench/**', '!**/*.map', 'package.json'],
  asar: true,
  // better-sqlite3's native binding cannot be loaded from inside an archive.
  asarUnpack: ['**/*.node'],
  npmRebuild: true,
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: { target: ['AppImage', 'deb'], category: 'Office' },
  mac: { target: ['dmg'], hardenedRuntime: true },
  win: { target: ['nsis'] },
};
