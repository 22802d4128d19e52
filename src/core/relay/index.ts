// The relay's shared pieces: the event envelope and the SSE wire format, imported by the relay and the app.
export * from './envelope';
export * from './sse-parser';
export * from './source-settings';
