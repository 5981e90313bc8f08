/** The product's own name and version, as every shell reports them. */
import { CONTRACT_VERSION } from './contract/index.js';

declare const __ENTENTE_VERSION__: string | undefined;

export const APP_NAME = 'Entente';
/** Injected by the build (scripts/build.mjs); tests running from source see the fallback. */
export const APP_VERSION: string = typeof __ENTENTE_VERSION__ === 'string' ? __ENTENTE_VERSION__ : '0.0.0-dev';

export function appInfo() {
  return { name: APP_NAME, version: APP_VERSION, contractVersion: CONTRACT_VERSION };
}
