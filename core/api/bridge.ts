/**
 * The shape of `window.entente` as the renderer sees it, whichever shell provides it:
 * one function per contract method answering an envelope, and `on` for pushed events.
 * Types only; the renderer imports this with `import type`.
 */
import type { Envelope } from './envelope.js';
import type { EventName, EventPayload, MethodArgs, MethodName, MethodResult } from './contract/index.js';

export type EntenteBridge = {
  readonly [M in MethodName]: (args?: MethodArgs<M>) => Promise<Envelope<MethodResult<M>>>;
} & {
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};
