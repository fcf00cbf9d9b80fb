/** The console's conditional GETs (console/src/lib/revalidate.ts) against a stand-in fetch. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { conditionalGet, forgetKept } from '../../../console/src/lib/revalidate.js';

afterEach(() => {
  vi.unstubAllGlobals();
  forgetKept();
});

/** Answers 200 with the current body and its tag, or 304 when If-None-Match holds the tag. */
function node(initial: string) {
  const state = { body: initial, sent: [] as (string | null)[] };
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const asked = new Headers(init.headers).get('if-none-match');
    state.sent.push(asked);
    const tag = `"${state.body.length}-${state.body}"`;
    if (asked === tag) return new Response(null, { status: 304, headers: { etag: tag } });
    return new Response(state.body, { status: 200, headers: { etag: tag, 'content-type': 'application/json' } });
  });
  return state;
}

describe('conditionalGet', () => {
  it('asks again with the kept tag and reads a 304 as the kept 200', async () => {
    const state = node('{"a":1}');
    expect(await (await conditionalGet('/v2/x', {}, 'Basic one')).json()).toEqual({ a: 1 });
    const again = await conditionalGet('/v2/x', {}, 'Basic one');
    expect(state.sent).toEqual([null, '"7-{"a":1}"']);
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toBe('application/json');
    expect(await again.json()).toEqual({ a: 1 });

    state.body = '{"a":2}';
    expect(await (await conditionalGet('/v2/x', {}, 'Basic one')).json()).toEqual({ a: 2 });
  });

  it("never answers one caller from another's copy, and forgets everything when told", async () => {
    const state = node('{}');
    await (await conditionalGet('/v2/x', {}, 'Basic one')).text();
    await (await conditionalGet('/v2/x', {}, 'Basic two')).text();
    forgetKept();
    await (await conditionalGet('/v2/x', {}, 'Basic one')).text();
    expect(state.sent).toEqual([null, null, null]);
  });
});
