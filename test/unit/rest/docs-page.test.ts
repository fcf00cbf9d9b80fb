/** GET /v2/docs renders the OpenAPI document as one self-contained, escaped HTML page. */
import { afterEach, describe, expect, it } from 'vitest';
import { renderDocsPage } from '../../../src/api/rest/docs-page.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

type Operation = { operationId: string; description?: string; externalDocs?: { url: string } };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

async function fetchBoth(): Promise<{ doc: Doc; page: string; headers: Record<string, unknown> }> {
  const { server } = harness();
  const json = await server.app.inject({ method: 'GET', url: '/v2/openapi.json' });
  const res = await server.app.inject({ method: 'GET', url: '/v2/docs' });
  expect(res.statusCode).toBe(200);
  return { doc: json.json() as Doc, page: res.body, headers: res.headers };
}

const operations = (doc: Doc): Operation[] => Object.values(doc.paths).flatMap((item) => Object.values(item));

/** Every URL the page would load or navigate to. */
const urls = (html: string): string[] => [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]!);

interface FakeOp {
  readonly id: string;
  readonly dataset: { search: string };
  hidden: boolean;
  open: boolean;
}

/** Just enough of a DOM to run the page's inline script against its operations and tags. */
function fakeDom(page: string) {
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const ops: FakeOp[] = [];
  const tags = page.split('<section class="tag"').slice(1).map((section) => {
    const own = [...section.matchAll(/<details class="op" id="([^"]*)" data-search="([^"]*)"/g)].map(
      (m): FakeOp => ({ id: m[1]!, dataset: { search: unescape(m[2]!) }, hidden: false, open: false }),
    );
    ops.push(...own);
    return { hidden: false, querySelector: () => own.find((op) => !op.hidden) ?? null };
  });
  let onInput = (): void => undefined;
  const box = { value: '', addEventListener: (_type: string, fn: () => void) => (onInput = fn) };
  const count = { textContent: '' };
  const button = { addEventListener: () => undefined };
  const document = {
    getElementById: (id: string) => ({ filter: box, count } as Record<string, unknown>)[id] ?? button,
    querySelectorAll: (selector: string) => (selector.startsWith('details') ? ops : tags),
  };
  const script = page.slice(page.indexOf('<script>') + 8, page.indexOf('</script>'));
  new Function('document', script)(document);
  return {
    ops,
    tags,
    count,
    type(value: string) {
      box.value = value;
      onInput();
    },
    visibleOps: () => ops.filter((op) => !op.hidden).map((op) => op.id),
  };
}

describe('GET /v2/docs', () => {
  it('answers text/html with a policy that loads nothing from elsewhere', async () => {
    const { page, headers } = await fetchBoth();
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    const csp = String(headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).not.toMatch(/unsafe-inline|https?:/);
  });

  it('shows every operation of the document, and is listed in it as getApiDocs', async () => {
    const { doc, page } = await fetchBoth();
    expect(doc.paths['/docs']?.get?.operationId).toBe('getApiDocs');
    const ids = operations(doc).map((op) => op.operationId);
    expect(ids.length).toBeGreaterThan(50);
    for (const id of ids) expect(page, id).toContain(`<details class="op" id="${id}"`);
    expect(page.match(/<details class="op"/g)).toHaveLength(ids.length);
  });

  it('links out only to the Camunda docs, one link per operation the document links', async () => {
    const { doc, page } = await fetchBoth();
    const absolute = urls(page).filter((u) => /^(?:[a-z]+:|\/\/)/i.test(u));
    expect(absolute.length).toBeGreaterThan(0);
    for (const url of absolute) expect(url).toMatch(/^https:\/\/docs\.camunda\.io\//);
    for (const op of operations(doc)) {
      if (op.externalDocs) expect(page).toContain(`href="${op.externalDocs.url}"`);
    }
    expect(page).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(page.match(/<script\b/gi)).toHaveLength(1);
    expect(page).not.toMatch(/<script[^>]*\bsrc=/i);
  });

  it('expands request and response schemas: field types, required marks, descriptions, enums', async () => {
    const { page } = await fetchBoth();
    const op = page.slice(page.indexOf('id="activateJobs"'), page.indexOf('</details>', page.indexOf('id="activateJobs"')));
    expect(op).toMatch(/<code class="name">type<\/code> <span class="type">string<\/span> <span class="req">required<\/span>/);
    expect(op).toContain('<code class="name">maxJobsToActivate</code> <span class="type">integer (int32)</span>');
    expect(op).toContain('The most jobs to activate.');
    // The response's $ref resolved, and the error body (ProblemDetail) expanded once for all statuses.
    expect(op).toContain('<h5>200 · <span class="type">JobActivationResult</span></h5>');
    expect(op).toContain('<code class="name">jobs</code> <span class="type">array of ActivatedJobResult</span>');
    expect(op).toContain('<code class="name">jobKey</code>');
    expect(op).toContain('<code class="name">detail</code>');
    expect(op.match(/<code class="name">detail<\/code>/g)).toHaveLength(1);
    const topology = page.slice(page.indexOf('id="getTopology"'));
    expect(topology).toMatch(/one of <code>leader<\/code>, <code>follower<\/code>, <code>inactive<\/code>/);
  });

  it('filters operations by every word typed, hiding tags left empty', async () => {
    const { page } = await fetchBoth();
    const dom = fakeDom(page);
    dom.type('JOBS   completion');
    expect(dom.visibleOps()).toEqual(['completeJob']);
    expect(dom.count.textContent).toBe(`1 of ${dom.ops.length} operations`);
    expect(dom.tags.filter((t) => !t.hidden)).toHaveLength(1);
    dom.type('/v2/user-tasks/{userTaskKey}/form');
    expect(dom.visibleOps()).toEqual(['getUserTaskForm']);
    dom.type('no-such-thing');
    expect(dom.visibleOps()).toEqual([]);
    expect(dom.tags.every((t) => t.hidden)).toBe(true);
    dom.type('');
    expect(dom.visibleOps()).toHaveLength(dom.ops.length);
  });

  it('escapes every text taken from the document', () => {
    const evil = '<script>alert("x")</script>';
    const { html } = renderDocsPage({
      info: { title: `API ${evil}`, version: '1' },
      servers: [{ url: '/v2' }],
      externalDocs: { url: 'javascript:alert(1)', description: evil },
      tags: [{ name: evil }],
      paths: {
        '/things/{id}': {
          post: {
            operationId: `op"><img src=x onerror=alert(1)>`,
            summary: evil,
            description: evil,
            tags: [evil],
            externalDocs: { url: 'https://evil.example/"><script>', description: evil },
            parameters: [{ name: evil, in: 'path', required: true, description: evil, schema: { type: 'string' } }],
            requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Evil' } } } },
            responses: { '200': { description: evil, content: { 'application/json': { schema: { $ref: '#/components/schemas/Evil' } } } } },
          },
        },
      },
      components: {
        schemas: {
          Evil: {
            type: 'object',
            description: evil,
            required: [evil],
            properties: { [evil]: { type: 'string', format: evil, enum: [evil], default: evil, description: evil } },
          },
        },
      },
    });
    expect(html.match(/<script\b/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(urls(html).filter((u) => /^(?:[a-z]+:|\/\/)/i.test(u))).toEqual([]);
    expect(html).toContain('<span class="req">required</span>');
  });

  it('stops at a schema that contains itself', () => {
    const { html } = renderDocsPage({
      paths: { '/tree': { get: { operationId: 'getTree', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } } } },
      components: { schemas: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } } } },
    });
    expect(html).toContain('<span class="type">array of Node</span>');
    expect(html).toContain('Node, as above');
  });
});
