/**
 * A parser of the Server-Sent Events wire format (WHATWG HTML, "event stream interpretation").
 * Pure and incremental: feed it decoded text in any chunking and it yields the same events.
 */

/** One dispatched event. `id` is the stream's last event id at dispatch time (it persists between events). */
export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** What the parser reports besides events. */
export interface SseCallbacks {
  onEvent(event: SseEvent): void;
  /** A `retry:` field with a valid number of milliseconds. */
  onRetry?(ms: number): void;
  /** A comment line (the relay's pings are comments). */
  onComment?(text: string): void;
  /**
   * A frame that set the id but carried no data: per the spec it is not an event, yet it moves the
   * last event id. The relay sends one on a fresh subscription to say where "now" is.
   */
  onBareId?(id: string): void;
}

/** An incremental SSE parser. */
export interface SseParser {
  /** Feeds decoded text; events are reported synchronously as their blank line arrives. */
  push(text: string): void;
  /** The last event id seen so far (what a reconnect sends as Last-Event-ID). */
  lastEventId(): string;
}

/** Creates a parser; `initialLastEventId` carries the id over a reconnect. */
export function createSseParser(cb: SseCallbacks, initialLastEventId = ''): SseParser {
  let buffer = '';
  let started = false;
  // A CR at the end of a chunk may be half of a CRLF split across chunks.
  let skipLeadingLf = false;
  let data = '';
  let hasData = false;
  let eventType = '';
  let lastId = initialLastEventId;
  let idInFrame = false;

  function dispatch(): void {
    const type = eventType || 'message';
    eventType = '';
    const bareId = idInFrame && !hasData;
    idInFrame = false;
    if (bareId) cb.onBareId?.(lastId);
    if (!hasData) return;
    const payload = data;
    data = '';
    hasData = false;
    cb.onEvent({ id: lastId, event: type, data: payload });
  }

  function field(name: string, value: string): void {
    switch (name) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        break;
      case 'id':
        if (!value.includes('\u0000')) {
          lastId = value;
          idInFrame = true;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) cb.onRetry?.(Number(value));
        break;
      default:
        break; // unknown fields are ignored, as the spec says
    }
  }

  function line(text: string): void {
    if (text === '') {
      dispatch();
      return;
    }
    if (text.startsWith(':')) {
      cb.onComment?.(text.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = text.indexOf(':');
    if (colon === -1) {
      field(text, '');
      return;
    }
    const value = text.slice(colon + 1);
    field(text.slice(0, colon), value.startsWith(' ') ? value.slice(1) : value);
  }

  return {
    push(text: string) {
      let chunk = text;
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      if (skipLeadingLf && chunk.length > 0) {
        skipLeadingLf = false;
        if (chunk.startsWith('\n')) chunk = chunk.slice(1);
      }
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else {
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    lastEventId: () => lastId,
  };
}
