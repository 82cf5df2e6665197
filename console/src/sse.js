import { createParser } from 'eventsource-parser';
import { storedKey, ApiError } from './api.js';

/**
 * Follows a Server-Sent Events stream of the API. EventSource cannot send the Authorization header, so the stream is
 * read with fetch() and parsed as it arrives. Calls onEvent({event, data}) per event; resolves when the server
 * closes the stream, rejects with ApiError when it refuses it. Abort with the signal to stop following.
 */
export async function followEvents(path, { onEvent, signal }) {
  const response = await fetch(`/api/v1${path}`, {
    headers: { Authorization: `Bearer ${storedKey()}`, Accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      /* a body that is not a problem: the status says enough */
    }
    throw new ApiError(response.status, problem);
  }
  const parser = createParser({
    onEvent(message) {
      let data = message.data;
      try {
        data = JSON.parse(message.data);
      } catch {
        /* keep the text */
      }
      onEvent({ event: message.event || 'message', data });
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}
