/** The packaging config keeps Electron's fuses flipped the safe way, and ships only dist/. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('./electron-builder.config.cjs') as {
  electronFuses: Record<string, boolean>;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
};
const packageJson = require('../package.json') as { main: string };

describe('electron-builder config', () => {
  it('flips the fuses: no run-as-node, no NODE_OPTIONS, no inspect; asar integrity and asar-only on', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packages the built app in an asar, with the native binding unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.files).toContain('dist/**');
    expect(packageJson.main).toBe('dist/electron/main.cjs');
  });
});
