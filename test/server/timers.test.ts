/**
 * Timers in a real `zen start` process: an intermediate timer fires on its own, and a timer that
 * fell due while the server was down (stopped or killed) fires once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFixtures, sleep, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-timer.bpmn', 'server-timer-then-task.bpmn');
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('intermediate timer catch event', () => {
  it('with PT1S fires by itself and the instances complete (not before the second is up)', async () => {
    const started = Date.now();
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-timer', variables: { n }, requestTimeout: 20_000 }),
      ),
    );
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.variables)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    // A lower bound only: firing early is a bug, firing late on a busy machine is not.
    expect(elapsed).toBeGreaterThanOrEqual(950);
  });
});

describe.each([
  { how: 'SIGTERM', down: () => server.stop() },
  { how: 'kill -9', down: () => server.kill9() },
])('a timer that falls due while the server is down ($how)', ({ how, down }) => {
  it('fires after the restart', async () => {
    const delayMs = 3_000;
    const created = await zeebe.createProcessInstance({
      bpmnProcessId: 'server-timer-then-task',
      variables: { delay: `PT${delayMs / 1000}S`, how },
    });
    // The engine computed the due date before it acknowledged, so it is at most this.
    const dueBy = Date.now() + delayMs;
    await zeebe.close();

    const exit = await down();
    if (how === 'SIGTERM') expect(exit).toEqual({ code: 0, signal: null });
    else expect(exit.signal).toBe('SIGKILL');
    // Otherwise the timer may have fired before the server went down and this proves nothing.
    expect(Date.now(), 'the server must be down before the timer is due').toBeLessThan(dueBy - 500);

    await sleep(dueBy + 500 - Date.now());
    await server.restart();
    zeebe = zeebeClient(server);

    const jobs = await zeebe.activateJobs({
      type: 'after-timer',
      worker: 'timers-test',
      maxJobsToActivate: 10,
      timeout: 60_000,
      requestTimeout: 10_000,
    });
    const mine = jobs.filter((j) => j.processInstanceKey === created.processInstanceKey);
    expect(mine, `jobs after restart: ${JSON.stringify(jobs.map((j) => j.processInstanceKey))}`).toHaveLength(1);
    expect(mine[0]!.variables).toEqual({ delay: `PT${delayMs / 1000}S`, how });
    await zeebe.completeJob({ jobKey: mine[0]!.key, variables: {} });

    // It fired once: there is no second job for the instance.
    const more = await zeebe.activateJobs({
      type: 'after-timer',
      worker: 'timers-test',
      maxJobsToActivate: 10,
      timeout: 60_000,
      requestTimeout: 500,
    });
    expect(more.map((j) => j.processInstanceKey)).not.toContain(created.processInstanceKey);
  });
});
