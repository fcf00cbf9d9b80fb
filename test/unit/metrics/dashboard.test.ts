import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { startNode, type RunningNode } from '../../../src/server/start.js';
import { parseMetrics, rawUnary } from '../../support/server-client.js';
import { REPO_ROOT, type ZenServer } from '../../support/server-process.js';

interface Panel {
  readonly title?: string;
  readonly targets?: ReadonlyArray<{ readonly expr?: string }>;
  readonly panels?: readonly Panel[];
}

const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'deploy', 'grafana-dashboard.json'), 'utf8')) as {
  panels: Panel[];
  templating: { list: Array<{ query?: string }> };
};

function expressions(panels: readonly Panel[]): string[] {
  return panels.flatMap((p) => [...(p.targets ?? []).map((t) => t.expr ?? ''), ...expressions(p.panels ?? [])]);
}

/** Every zen_* metric a PromQL text names (label values in quotes are not names). */
function metricNames(expr: string): string[] {
  const unquoted = expr.replace(/"[^"]*"/g, '""');
  return [...unquoted.matchAll(/\bzen_[a-zA-Z0-9_]*/g)].map((m) => m[0]);
}

describe('the example Grafana dashboard', () => {
  let node: RunningNode;
  let dataDir: string;
  let exposed: Map<string, number>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'zen-dashboard-'));
    const { config } = resolveConfig({ flags: { dataDir, grpcPort: 0, restPort: 0, systemPort: 0, host: '127.0.0.1', partitions: 1 } });
    node = await startNode(config, pino({ level: 'silent' }));
    // Labelled series exist once something happened: run an instance through both APIs.
    await rawUnary({ grpcAddress: `127.0.0.1:${node.ports.grpc}` } as ZenServer, 'Topology', {});
    const rest = `http://127.0.0.1:${node.ports.rest}`;
    const form = new FormData();
    form.append('resources', new Blob([readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bpmn', 'server-one-task.bpmn'))]), 'server-one-task.bpmn');
    expect((await fetch(`${rest}/v2/deployments`, { method: 'POST', body: form })).status).toBe(200);
    const post = (path: string, body: object) =>
      fetch(`${rest}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (let i = 0; i < 2; i++) expect((await post('/v2/process-instances', { processDefinitionId: 'server-one-task' })).status).toBe(200);
    const activated = (await (await post('/v2/jobs/activation', { type: 'server-work', maxJobsToActivate: 1, timeout: 60_000 })).json()) as {
      jobs: Array<{ jobKey: string }>;
    };
    expect(activated.jobs).toHaveLength(1);
    expect((await post(`/v2/jobs/${activated.jobs[0]!.jobKey}/completion`, {})).status).toBe(204);
    // Again: a rejected command.
    expect((await post(`/v2/jobs/${activated.jobs[0]!.jobKey}/completion`, {})).status).toBe(404);
    const scraped = await fetch(`http://127.0.0.1:${node.ports.system}/metrics`);
    expect(scraped.status).toBe(200);
    exposed = parseMetrics(await scraped.text());
  }, 30_000);

  afterAll(async () => {
    await node?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has panels in every row the runbook names', () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const row of ['Throughput', 'Latency', 'Partitions', 'Jobs', 'Incidents', 'Runtime']) expect(titles).toContain(row);
    expect(expressions(dashboard.panels).length).toBeGreaterThan(20);
  });

  it('names only metrics a running node exports', () => {
    const used = new Set([...expressions(dashboard.panels), ...dashboard.templating.list.map((v) => v.query ?? '')].flatMap(metricNames));
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter((name) => !exposed.has(name)).sort();
    expect(missing).toEqual([]);
  });

  it('counts what the requests did', () => {
    expect(exposed.get('zen_process_instances_created_total')).toBe(2);
    expect(exposed.get('zen_process_instances_completed_total')).toBe(1);
    expect(exposed.get('zen_process_instances_active')).toBe(1);
    expect(exposed.get('zen_jobs_activated_total')).toBe(1);
    expect(exposed.get('zen_jobs_completed_total')).toBe(1);
    expect(exposed.get('zen_jobs_activatable')).toBe(1);
    expect(exposed.get('zen_commands_rejected_total')).toBe(1);
    expect(exposed.get('zen_http_requests_total')).toBe(6);
    expect(exposed.get('zen_grpc_requests_total')).toBe(1);
  });

  it('finds a misspelt name (the check itself works)', () => {
    expect(metricNames('sum(rate(zen_jobs_complted_total{partition="zen_x"}[1m]))')).toEqual(['zen_jobs_complted_total']);
    expect(exposed.has('zen_jobs_complted_total')).toBe(false);
  });
});
