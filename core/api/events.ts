/**
 * Pushed events: the core publishes, each shell forwards to its renderer. Payloads are
 * checked against the contract before they leave, like method results.
 */
import { events, type EventName, type EventPayload } from './contract.js';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class CoreEvents {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload) as EventPayload<E>;
    for (const listener of this.#listeners) listener(event, checked);
  }
}
