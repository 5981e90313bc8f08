/**
 * The console's only way to the core: `window.entente`, provided by the Electron preload or
 * by the loopback host's bridge script. Types come from the contract; no core code is bundled.
 */
import type { EntenteBridge } from '../../../core/api/index.js';

declare global {
  interface Window {
    readonly entente?: EntenteBridge;
  }
}

export function bridge(): EntenteBridge {
  if (!window.entente) throw new Error('window.entente is missing: open the console through Entente, not as a file.');
  return window.entente;
}
