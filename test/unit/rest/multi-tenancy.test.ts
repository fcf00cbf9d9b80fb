/** REST with --multi-tenancy: tenants pass to the node, ids are checked as Camunda does. */
import { afterEach, describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import type { ActivateJobsRequest, BroadcastSignalRequest, CreateInstanceRequest, DeployRequest } from '../../../src/node/api.js';
import { closeAll, harness, multipart } from './harness.js';

afterEach(closeAll);

const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

describe('REST with multi-tenancy', () => {
  it('hands the named tenant to the node and answers with it; absent is the default tenant', async () => {
    const { server, api } = harness({ multiTenancy: true });
    const created = await server.app.inject({ method: 'POST', url: '/v2/process-instances', ...json({ processDefinitionId: 'order', tenantId: 'acme' }) });
    expect(created.statusCode).toBe(200);
    expect(api.lastArg<CreateInstanceRequest>('createProcessInstance').tenantId).toBe('acme');
    await server.app.inject({ method: 'POST', url: '/v2/signals/broadcast', ...json({ signalName: 's' }) });
    expect(api.lastArg<BroadcastSignalRequest>('broadcastSignal').tenantId).toBe('<default>');
    const deployed = await server.app.inject({
      method: 'POST',
      url: '/v2/deployments',
      ...multipart([
        { name: 'resources', filename: 'a.bpmn', content: 'x' },
        { name: 'tenantId', content: 'acme' },
      ]),
    });
    expect(deployed.statusCode).toBe(200);
    expect(api.lastArg<DeployRequest>('deploy').tenantId).toBe('acme');
    expect(deployed.json()).toMatchObject({ tenantId: 'acme' });
    await server.app.inject({ method: 'POST', url: '/v2/jobs/activation', ...json({ type: 't', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1, tenantIds: ['a', 'b'] }) });
    expect(api.lastArg<ActivateJobsRequest>('activateJobs').tenantIds).toEqual(['a', 'b']);
  });

  it.each([
    ['a'.repeat(32), 'tenant identifier is longer than 31 characters.'],
    ['<invalid>', 'tenant identifier contains illegal characters.'],
  ])("refuses the tenant %s in Camunda's words", async (tenantId, reason) => {
    const { server, api } = harness({ multiTenancy: true });
    const res = await server.app.inject({ method: 'POST', url: '/v2/messages/correlation', ...json({ name: 'm', tenantId }) });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { detail: string }).detail).toBe(`Expected to handle request Correlate message with tenant identifier '${tenantId}', but ${reason}`);
    expect(api.calls).toHaveLength(0);
  });

  it('answers a tenant the caller may not use with 403', async () => {
    const { server, api } = harness({ multiTenancy: true });
    api.failNext('publishMessage', new ZenError('FORBIDDEN', "Expected to handle request PublishMessage with tenant identifier 'other', but tenant is not authorized to perform this request"));
    const res = await server.app.inject({ method: 'POST', url: '/v2/messages/publication', ...json({ name: 'm', tenantId: 'other' }) });
    expect(res.statusCode).toBe(403);
    expect((res.json() as { detail: string }).detail).toContain("tenant identifier 'other'");
  });
});
