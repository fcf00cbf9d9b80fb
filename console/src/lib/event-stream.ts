/**
 * The server-sent events format, read from a fetch body: the console cannot use EventSource,
 * which sends no Authorization header.
 */

export interface ServerEvent {
  readonly event: string;
  readonly data: string;
  /** The `retry:` hint of the block, in ms, when it had one. */
  readonly retry?: number;
}

/** Calls onEvent for each block with data or a retry hint, until the body ends or the signal aborts. */
export async function readServerEvents(body: ReadableStream<Uint8Array>, onEvent: (event: ServerEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    // The format allows CRLF and CR line ends as well as LF; a CR at the end may be half a CRLF.
    const cut = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
    buffer = buffer.slice(0, cut).replace(/\r\n?/g, '\n') + buffer.slice(cut);
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const parsed = parseBlock(block);
      if (parsed) onEvent(parsed);
    }
  }
}

function parseBlock(block: string): ServerEvent | null {
  let event = 'message';
  let retry: number | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  }
  if (data.length === 0 && retry === undefined) return null;
  return { event, data: data.join('\n'), ...(retry !== undefined ? { retry } : {}) };
}
