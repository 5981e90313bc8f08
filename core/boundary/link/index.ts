/** Live links between boundary agents (decision 0006): frames, messages, TLS, channel binding, clock samples. */
export * from './frames.js';
export * from './messages.js';
export * from './tls.js';
export * from './clock.js';
export * from './channel.js';
export * from './proof.js';
