/**
 * The console's only way to the core: `window.entente`, provided by the Electron preload or
 * by the loopback host's bridge script. Types come from the contract; no core code is bundled.
 */
import type { EntenteBridge, Envelope } from '../../core/api/index.js';

declare global {
  interface Window {
    readonly entente?: EntenteBridge;
  }
}

export function bridge(): EntenteBridge {
  if (!window.entente) throw new Error('window.entente is missing: open the console through Entente, not as a file.');
  return window.entente;
}

/** Unwraps an envelope, turning a refusal into an Error whose message is the core's sentence. */
export async function unwrap<T>(answer: Promise<Envelope<T>>): Promise<T> {
  const result = await answer;
  if (!result.ok) throw new Error(`${result.error.message} (${result.error.code})`);
  return result.value;
}
