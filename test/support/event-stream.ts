/**
 * Reads a server-sent event stream from a fetch response, as the console does (fetch, not
 * EventSource, since it sends an Authorization header): events and comments as they arrive.
 */
export interface StreamEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

export interface EventStreamReader {
  readonly events: StreamEvent[];
  readonly comments: string[];
  /** The `retry:` hints seen. */
  readonly retries: number[];
  /** Resolves with the first event from index `from` on that `match` accepts; rejects after timeoutMs or when the stream ends. */
  next(match: (event: StreamEvent) => boolean, timeoutMs?: number, from?: number): Promise<StreamEvent>;
  /** Resolves when a comment matching `match` arrives. */
  comment(match: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  readonly ended: Promise<void>;
}

export function readEventStream(response: Response): EventStreamReader {
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const wakers = new Set<() => void>();
  let done = false;
  const wake = () => {
    for (const w of [...wakers]) w();
  };
  const ended = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              const name = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              fields[name] = fields[name] === undefined ? value : `${fields[name]}\n${value}`;
            }
          }
          if (fields.retry !== undefined) retries.push(Number(fields.retry));
          if (fields.data !== undefined) events.push({ event: fields.event ?? 'message', data: fields.data, ...(fields.id ? { id: fields.id } : {}) });
          wake();
        }
      }
    } catch {
      // Aborted by the test: the stream simply ends.
    } finally {
      done = true;
      wake();
    }
  })();

  const waitFor = <T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) return finish(() => resolve(found));
        if (done) finish(() => reject(new Error(`the stream ended before ${what}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no ${what} within ${timeoutMs} ms`))), timeoutMs);
      const finish = (then: () => void) => {
        clearTimeout(timer);
        wakers.delete(check);
        then();
      };
      wakers.add(check);
      check();
    });

  return {
    events,
    comments,
    retries,
    ended,
    next: (match, timeoutMs = 5_000, from = 0) => waitFor(() => events.slice(from).find(match), 'matching event', timeoutMs),
    comment: (match, timeoutMs = 5_000) => waitFor(() => comments.find(match), 'matching comment', timeoutMs),
  };
}
