/**
 * What a shell holds of the core: one door for calls and one for events, whichever runtime
 * serves them — the core in this thread (`open-core.ts`) or in a worker thread of this process
 * (`worker/`). Both answer envelopes and never throw, so a shell binds either the same way.
 */
import type { Envelope } from './envelope.js';
import type { EventListener } from './events.js';

export interface CoreConnection {
  /** Validates and runs one contract call from an untrusted caller; never rejects. */
  call(method: unknown, args: unknown): Promise<Envelope<unknown>>;
  /** Hears every event the core publishes, already checked against the contract. */
  subscribe(listener: EventListener): () => void;
  /** Stops the core and releases the store; calls after it answer `unavailable`. */
  close(): Promise<void>;
}
