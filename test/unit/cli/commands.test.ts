/**
 * The client commands end to end inside the process: argv in, the request a fake fetch
 * receives, and what is printed with which exit code.
 */
import { describe, expect, it } from 'vitest';
import { runCli, type CliDeps } from '../../../src/cli/main.js';

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

interface Answer {
  readonly status?: number;
  readonly body?: unknown;
  readonly contentType?: string;
}

function harness(answer: Answer | ((sent: Sent) => Answer | Promise<never>) = { status: 204 }, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: Sent[] = [];
  const deps: CliDeps = {
    env,
    startNode: async () => {
      throw new Error('no node in these tests');
    },
    createLogger: () => {
      throw new Error('no logger in these tests');
    },
    exit: () => {},
    onSignal: () => {},
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async (path) => {
      if (path.includes('missing')) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return Buffer.from(`<content of ${path}>`);
    },
    fetch: async (url, init) => {
      const body = init.body instanceof FormData ? init.body : init.body === undefined ? undefined : JSON.parse(String(init.body));
      const request = { method: init.method ?? 'GET', url, headers: init.headers as Record<string, string>, body };
      sent.push(request);
      const a = typeof answer === 'function' ? await answer(request) : answer;
      const status = a.status ?? 200;
      const text = a.body === undefined ? null : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      return new Response(status === 204 ? null : text, { status, headers: { 'content-type': a.contentType ?? 'application/json' } });
    },
  };
  const run = (...args: string[]) => runCli(['node', 'zen', ...args], deps);
  return { run, out, err, sent, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('zen client commands: requests', () => {
  it('deploys every file in one multipart request, named by its base name', async () => {
    const h = harness({ body: { deploymentKey: '1', tenantId: '<default>', deployments: [] } });
    expect(await h.run('deploy', 'dir/order.bpmn', 'other/rules.dmn')).toBe(0);
    const [request] = h.sent;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('http://localhost:8080/v2/deployments');
    const form = request!.body as FormData;
    const files = form.getAll('resources') as File[];
    expect(files.map((f) => f.name)).toEqual(['order.bpmn', 'rules.dmn']);
    expect(await files[0]!.text()).toBe('<content of dir/order.bpmn>');
    expect(h.stdout()).toContain('deployment 1\n');
  });

  it('creates an instance by process ID, with variables and awaiting the result', async () => {
    const h = harness({ body: { processInstanceKey: '5', processDefinitionId: 'order', variables: { total: 120 } } });
    expect(await h.run('create', 'instance', 'order', '--variables', '{"amount":100}', '--with-result')).toBe(0);
    expect(h.sent[0]).toMatchObject({
      url: 'http://localhost:8080/v2/process-instances',
      body: { processDefinitionId: 'order', variables: { amount: 100 }, awaitCompletion: true },
    });
    expect(h.stdout()).toContain('{"total":120}');
  });

  it('creates an instance by definition key when given digits, and a given version by ID', async () => {
    const h = harness({ body: {} });
    await h.run('create', 'instance', '2251799813685250');
    await h.run('create', 'instance', 'order', '--version', '3');
    expect(h.sent.map((s) => s.body)).toEqual([{ processDefinitionKey: '2251799813685250' }, { processDefinitionId: 'order', processDefinitionVersion: 3 }]);
  });

  it('cancels an instance, completes and fails a job, resolves an incident', async () => {
    const h = harness();
    expect(await h.run('cancel', 'instance', '11')).toBe(0);
    expect(await h.run('complete', 'job', '12', '--variables', '{"ok":true}')).toBe(0);
    expect(await h.run('fail', 'job', '13', '--retries', '2', '--message', 'card declined', '--retry-backoff', '30s')).toBe(0);
    expect(await h.run('resolve', 'incident', '14')).toBe(0);
    expect(h.sent.map((s) => [s.url.replace('http://localhost:8080', ''), s.body])).toEqual([
      ['/v2/process-instances/11/cancellation', undefined],
      ['/v2/jobs/12/completion', { variables: { ok: true } }],
      ['/v2/jobs/13/failure', { retries: 2, errorMessage: 'card declined', retryBackOff: 30_000 }],
      ['/v2/incidents/14/resolution', undefined],
    ]);
    expect(h.stdout()).toBe('canceled process instance 11\ncompleted job 12\nfailed job 13 (2 retries left)\nresolved incident 14\n');
  });

  it('publishes a message with a TTL in ms and broadcasts a signal', async () => {
    const h = harness({ body: { messageKey: '1', tenantId: '<default>' } });
    expect(await h.run('publish', 'message', 'paid', '--correlation-key', 'order-7', '--ttl', '1m', '--variables', '{"x":1}')).toBe(0);
    expect(await h.run('broadcast', 'signal', 'stop')).toBe(0);
    expect(h.sent.map((s) => s.body)).toEqual([
      { name: 'paid', correlationKey: 'order-7', timeToLive: 60_000, variables: { x: 1 } },
      { signalName: 'stop' },
    ]);
  });

  it("activates jobs with zbctl's defaults, answering at once", async () => {
    const h = harness({ body: { jobs: [] } });
    expect(await h.run('activate', 'jobs', 'pay')).toBe(0);
    expect(await h.run('activate', 'jobs', 'pay', '--max', '5', '--timeout', '30s', '--worker', 'w1', '--request-timeout', '2s')).toBe(0);
    expect(h.sent.map((s) => s.body)).toEqual([
      { type: 'pay', maxJobsToActivate: 1, timeout: 300_000, worker: 'zen', requestTimeout: -1 },
      { type: 'pay', maxJobsToActivate: 5, timeout: 30_000, worker: 'w1', requestTimeout: 2_000 },
    ]);
  });

  it('searches with filters, sort and limit, and asks for strong consistency when told', async () => {
    const h = harness({ body: { items: [], page: { totalItems: 0 } } });
    expect(
      await h.run('search', 'instances', '--filter', 'state=ACTIVE', '--filter', 'processDefinitionId=order', '--sort', 'startDate:desc', '--limit', '20', '--strong'),
    ).toBe(0);
    expect(await h.run('search', 'user-tasks')).toBe(0);
    expect(h.sent[0]).toMatchObject({
      url: 'http://localhost:8080/v2/process-instances/search',
      headers: { 'zen-consistency': 'strong' },
      body: { filter: { state: 'ACTIVE', processDefinitionId: 'order' }, sort: [{ field: 'startDate', order: 'DESC' }], page: { limit: 20 } },
    });
    expect(h.sent[1]).toMatchObject({ url: 'http://localhost:8080/v2/user-tasks/search', body: { filter: {} } });
    expect(h.sent[1]!.headers['zen-consistency']).toBeUndefined();
  });

  it('asks --address first, then ZEN_ADDRESS, then localhost:8080; a bare host:port is http', async () => {
    const h = harness({ body: { brokers: [] } }, { ZEN_ADDRESS: 'zen-1:8081' });
    await h.run('status');
    await h.run('status', '--address', 'https://zen.example/');
    expect(h.sent.map((s) => s.url)).toEqual(['http://zen-1:8081/v2/topology', 'https://zen.example/v2/topology']);
  });
});

describe('zen client commands: output and exit codes', () => {
  it('prints a table by default and the raw JSON with --json', async () => {
    const answer = { items: [{ processInstanceKey: '2251799813685251', processDefinitionId: 'order', state: 'ACTIVE' }], page: { totalItems: 1 } };
    const h = harness({ body: answer });
    expect(await h.run('search', 'instances')).toBe(0);
    expect(h.stdout().split('\n')[1]).toMatch(/^2251799813685251 +order +ACTIVE/);
    h.out.length = 0;
    expect(await h.run('search', 'instances', '--json')).toBe(0);
    expect(h.stdout()).toBe(`${JSON.stringify(answer)}\n`);
  });

  it('says on stderr when a search found more than it shows', async () => {
    const h = harness({ body: { items: [{ jobKey: '1' }], page: { totalItems: 3 } } });
    expect(await h.run('search', 'jobs', '--limit', '1')).toBe(0);
    expect(h.stderr()).toBe('1 of 3 jobs; see --limit\n');
  });

  it("exits 1 with the problem's detail on stderr when the node refuses", async () => {
    const problem = { type: 'about:blank', title: 'NOT_FOUND', status: 404, detail: "Expected to find job with key '9', but none was found", instance: '/v2/jobs/9/completion' };
    const h = harness({ status: 404, body: problem, contentType: 'application/problem+json' });
    expect(await h.run('complete', 'job', '9')).toBe(1);
    expect(h.stderr()).toBe("zen: NOT_FOUND: Expected to find job with key '9', but none was found\n");
    expect(h.stdout()).toBe('');
  });

  it('exits 1 naming the address when the node cannot be reached', async () => {
    const h = harness(() => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:8080') })));
    expect(await h.run('status')).toBe(1);
    expect(h.stderr()).toBe('zen: cannot reach http://localhost:8080: connect ECONNREFUSED 127.0.0.1:8080\n');
  });

  it('exits 1 without a request when a file to deploy cannot be read', async () => {
    const h = harness();
    expect(await h.run('deploy', 'a.bpmn', 'missing.bpmn')).toBe(1);
    expect(h.stderr()).toMatch(/^zen: cannot read missing\.bpmn: ENOENT/);
    expect(h.sent).toHaveLength(0);
  });

  it.each([
    [['create', 'instance', 'order', '--variables', '[1]'], /Expected a JSON object/],
    [['create', 'instance', 'order', '--variables', '{oops'], /Expected a JSON object/],
    [['cancel', 'instance', 'abc'], /Expected a key/],
    [['publish', 'message', 'paid'], /required option '--correlation-key <key>' not specified/],
    [['publish', 'message', 'paid', '--correlation-key', 'k', '--ttl', '60'], /duration with units/],
    [['activate', 'jobs', 'pay', '--max', '0'], /Expected 1 or more/],
    [['search', 'instances', '--filter', 'ACTIVE'], /field=value/],
    [['search', 'instances', '--sort', 'startDate:up'], /field:desc/],
    [['search', 'instances', '--filter', 'state=A', '--filter', 'state=B'], /more than once/],
    [['search', 'processes'], /unknown command 'processes'/],
    [['complete', 'job'], /missing required argument 'key'/],
    [['status', '--jsn'], /unknown option '--jsn'/],
    [['create'], /Usage: zen create/],
  ])('exits 2 on a usage error: zen %s', async (args, message) => {
    const h = harness();
    expect(await h.run(...args)).toBe(2);
    expect(h.stderr()).toMatch(message);
    expect(h.sent).toHaveLength(0);
  });

  it('prints help for every command and exits 0', async () => {
    const h = harness();
    for (const args of [['--help'], ['search', 'instances', '--help'], ['activate', 'jobs', '--help'], ['deploy', '--help']]) {
      expect(await h.run(...args)).toBe(0);
    }
    const help = h.stdout();
    expect(help).toContain('search');
    expect(help).toContain('--filter <field=value>');
    expect(help).toContain('zen search instances --filter state=ACTIVE');
    expect(help).toContain('--address <url>');
    expect(help).toContain('env: ZEN_ADDRESS');
  });
});
