/** ETags on the API's GET answers (etag.ts): one onSend hook for every route. */
import { afterEach, describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { entityTag, noneMatch } from '../../../src/api/rest/etag.js';
import { KEYS } from '../../support/fake-api.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

const instanceUrl = `/v2/process-instances/${KEYS.processInstance}`;

describe('ETags on GET answers', () => {
  it('tags a 200 with a hash of its body, and keeps it out of caches', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'GET', url: instanceUrl });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(entityTag(res.body));
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 304 without a body when If-None-Match holds the tag, and 200 again once the answer changed', async () => {
    const { server, api } = harness();
    const first = await server.app.inject({ method: 'GET', url: '/v2/topology' });
    const tag = first.headers.etag as string;

    const again = await server.app.inject({ method: 'GET', url: '/v2/topology', headers: { 'if-none-match': tag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(tag);
    expect(again.headers['content-type']).toBeUndefined();
    expect(again.headers['content-length']).toBeUndefined();

    // A list of tags, weak or strong, matches weakly (RFC 9110 §13.1.2).
    const listed = await server.app.inject({ method: 'GET', url: '/v2/topology', headers: { 'if-none-match': `"other", W/${tag}` } });
    expect(listed.statusCode).toBe(304);

    api.topologyResult = { ...api.topologyResult, clusterSize: api.topologyResult.clusterSize + 1 };
    const changed = await server.app.inject({ method: 'GET', url: '/v2/topology', headers: { 'if-none-match': tag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ clusterSize: api.topologyResult.clusterSize });
    expect(changed.headers.etag).not.toBe(tag);
  });

  it('tags an answer that is not JSON (the docs page) too', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'GET', url: '/v2/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const tag = res.headers.etag as string;
    expect(tag).toBe(entityTag(res.body));
    expect((await server.app.inject({ method: 'GET', url: '/v2/docs', headers: { 'if-none-match': tag } })).statusCode).toBe(304);
  });

  it('leaves POST searches alone: 200 with the body, no tag, whatever If-None-Match says', async () => {
    const { server } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances/search',
      headers: { 'content-type': 'application/json', 'if-none-match': '*' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBeUndefined();
    expect(res.json()).toHaveProperty('items');
  });

  it('leaves problems alone: no tag, and If-None-Match does not turn them into 304', async () => {
    const { server, api } = harness();
    api.failNext('getProcessInstance', new ZenError('NOT_FOUND', 'no such instance'));
    const res = await server.app.inject({ method: 'GET', url: instanceUrl, headers: { 'if-none-match': '*' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers.etag).toBeUndefined();
    expect(res.json()).toMatchObject({ title: 'NOT_FOUND', status: 404 });
  });

  it('compares If-None-Match as RFC 9110 says', () => {
    expect(noneMatch(undefined, '"a"')).toBe(false);
    expect(noneMatch('*', '"a"')).toBe(true);
    expect(noneMatch('"b", "a"', '"a"')).toBe(true);
    expect(noneMatch('W/"a"', '"a"')).toBe(true);
    expect(noneMatch('"ab"', '"a"')).toBe(false);
  });
});
