/**
 * Pushed events: the core publishes, each shell forwards to its renderer. Payloads are
 * checked against the contract before they leave, like method results.
 */
import { events, type EventName, type EventPayload } from './contract/index.js';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Where a listener's failure goes: by default one warning line, never a failed publish. */
export type ListenerFailure = (event: EventName, error: unknown) => void;

const warn: ListenerFailure = (event, error) => process.emitWarning(`A listener of ${event} failed: ${error instanceof Error ? error.message : String(error)}`, 'EntenteEventWarning');

export class CoreEvents {
  readonly #listeners = new Set<EventListener>();

  constructor(private readonly onListenerFailure: ListenerFailure = warn) {}

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Delivers to every listener. One that throws (a browser tab that went away mid-send) is
   * reported and skipped: the others still hear the event, and the change that published it,
   * already made, is not reported as failed.
   */
  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload) as EventPayload<E>;
    for (const listener of this.#listeners) {
      try {
        listener(event, checked);
      } catch (error) {
        this.onListenerFailure(event, error);
      }
    }
  }
}
