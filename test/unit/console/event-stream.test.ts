/** The console's server-sent events parser (console/src/lib/event-stream.ts), fed in awkward chunks. */
import { describe, expect, it } from 'vitest';
import { readServerEvents, type ServerEvent } from '../../../console/src/lib/event-stream.js';

function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function read(...chunks: string[]): Promise<ServerEvent[]> {
  const events: ServerEvent[] = [];
  await readServerEvents(body(...chunks), (e) => events.push(e));
  return events;
}

describe('readServerEvents', () => {
  it('reads the retry hint, named events and their data, and skips comments', async () => {
    expect(await read('retry: 2000\n\n', ': keep-alive\n\n', 'id: 1\nevent: change\ndata: {"reason":"open"}\n\n')).toEqual([
      { event: 'message', data: '', retry: 2000 },
      { event: 'change', data: '{"reason":"open"}' },
    ]);
  });

  it('joins data lines, and takes an event split anywhere across chunks, CRLF split included', async () => {
    expect(await read('event: ch', 'ange\r', '\ndata: a\r\ndata:b\r', '\n\r\n', 'data: c\n', '\n')).toEqual([
      { event: 'change', data: 'a\nb' },
      { event: 'message', data: 'c' },
    ]);
  });

  it('drops an event the stream ended in the middle of', async () => {
    expect(await read('data: whole\n\n', 'data: half')).toEqual([{ event: 'message', data: 'whole' }]);
  });
});
