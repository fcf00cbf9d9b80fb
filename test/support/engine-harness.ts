/**
 * In-process engine harness for scenario tests: one or more partitions with a fake clock,
 * cross-partition commands delivered synchronously, and the full record stream kept so a
 * test can assert on it and replay it into fresh state.
 */
import { expect } from 'vitest';
import { applyEvent } from '../../src/engine/appliers/index.js';
import { Engine } from '../../src/engine/engine.js';
import { ModelCache } from '../../src/engine/models.js';
import type { DeploymentAttachment } from '../../src/engine/processing/types.js';
import type { ActivatedJobBatch } from '../../src/engine/processors/commands/job.js';
import type { CommandResponse, EngineCommand, OutboundCommand } from '../../src/engine/processing/types.js';
import { dueCommands, unansweredCommands } from '../../src/engine/queries.js';
import type { ValueType, ZenRecord } from '../../src/engine/records.js';
import { EngineState } from '../../src/engine/state/engine-state.js';
import { compileResource } from '../../src/model/index.js';
import type { CompileResult } from '../../src/model/types.js';

export interface HarnessPartition {
  readonly id: number;
  readonly state: EngineState;
  readonly models: ModelCache;
  readonly engine: Engine;
  readonly log: ZenRecord[];
  /** Key counter after each logged command, as the partition driver persists it. */
  readonly watermarks: bigint[];
}

export class EngineHarness {
  readonly partitions: HarnessPartition[] = [];
  now = Date.UTC(2026, 0, 1, 12, 0, 0);
  private requestSeq = 0;
  /** Deferred responses by request id (CreateProcessInstanceWithResult). */
  readonly deferred = new Map<string, CommandResponse>();
  /** When false, outbound commands stay queued until `deliver()`: lets tests lose or delay them. */
  autoDeliver = true;
  readonly outbox: OutboundCommand[] = [];
  /** Every partition's records in the order they were written, across partitions. */
  readonly written: ZenRecord[] = [];
  /** The tenant the harness's client commands name (deploy, create, publish, activate, …). */
  tenant = '<default>';
  /** The tenants the harness's client may use (the command's authorized tenants); undefined: all. */
  authorizedTenants: readonly string[] | undefined = undefined;

  constructor(partitionCount = 1, options: { multiTenancy?: boolean } = {}) {
    for (let id = 1; id <= partitionCount; id++) {
      const state = new EngineState(id);
      const models = new ModelCache();
      const engine = new Engine(state, models, { partitionId: id, partitionCount, multiTenancy: options.multiTenancy ?? false });
      engine.onBug = (err) => {
        throw err;
      };
      this.partitions.push({ id, state, models, engine, log: [], watermarks: [] });
    }
  }

  /** Runs `fn` with the client commands naming `tenantId`. */
  async as<T>(tenantId: string, fn: () => T | Promise<T>): Promise<T> {
    const saved = this.tenant;
    this.tenant = tenantId;
    try {
      return await fn();
    } finally {
      this.tenant = saved;
    }
  }

  /** Runs `fn` as a client that may use only `tenantIds`: its commands carry them as authorized tenants. */
  async authorizedFor<T>(tenantIds: readonly string[], fn: () => T | Promise<T>): Promise<T> {
    const saved = this.authorizedTenants;
    this.authorizedTenants = tenantIds;
    try {
      return await fn();
    } finally {
      this.authorizedTenants = saved;
    }
  }

  partition(id = 1): HarnessPartition {
    return this.partitions[id - 1]!;
  }

  /** Every record of a partition (default: all partitions in order of partition). */
  records(partitionId?: number): ZenRecord[] {
    if (partitionId !== undefined) return this.partition(partitionId).log;
    return this.partitions.flatMap((p) => p.log);
  }

  /** Events only, as `VALUE_TYPE:INTENT` strings, optionally filtered by value type. */
  eventStream(partitionId = 1, valueTypes?: ValueType[]): string[] {
    return this.partition(partitionId)
      .log.filter((r) => r.recordType === 'EVENT' && (!valueTypes || valueTypes.includes(r.valueType)))
      .map((r) => `${r.valueType}:${r.intent}`);
  }

  /** `elementId:INTENT` of PROCESS_INSTANCE events. */
  elementStream(partitionId = 1): string[] {
    return this.partition(partitionId)
      .log.filter((r) => r.recordType === 'EVENT' && r.valueType === 'PROCESS_INSTANCE')
      .map((r) => `${(r.value as { elementId: string }).elementId}:${r.intent}`);
  }

  process(partitionId: number, command: Omit<EngineCommand, 'requestId'> & { requestId?: string | null }): CommandResponse | null {
    const p = this.partition(partitionId);
    const requestId = command.requestId ?? `req-${++this.requestSeq}`;
    // Commands between partitions and due commands carry no client (processAttached, advanceTime).
    const authorizedTenants = 'authorizedTenants' in command ? command.authorizedTenants : this.authorizedTenants;
    const result = p.engine.process({ ...command, requestId, ...(authorizedTenants ? { authorizedTenants } : {}) }, this.now);
    if (result.records.length > 0) {
      let position = p.log.length;
      const commandPosition = position + 1;
      for (const record of result.records) {
        record.position = ++position;
        if (record.recordType !== 'COMMAND') record.sourceRecordPosition = commandPosition;
        p.log.push(record);
        this.written.push(record);
      }
      p.watermarks.push(p.state.keyCounter);
    }
    for (const d of result.deferred) this.deferred.set(d.requestId, d.response);
    this.outbox.push(...result.outbox);
    if (this.autoDeliver) this.deliver();
    return result.response;
  }

  /** Delivers queued cross-partition commands until none is left. */
  deliver(): void {
    while (this.outbox.length > 0) {
      const next = this.outbox.shift()!;
      this.processAttached(next.partitionId, { valueType: next.valueType, intent: next.intent, key: next.key, value: next.value });
    }
  }

  /** Re-sends what each partition still waits an answer for, as the driver does on restart. */
  resendUnanswered(): void {
    for (const p of this.partitions) for (const { command } of unansweredCommands(p.state)) this.outbox.push(command);
    if (this.autoDeliver) this.deliver();
  }

  private processAttached(partitionId: number, command: EngineCommand): void {
    if (command.valueType === 'DEPLOYMENT' && command.intent === 'CREATE' && command.key > 0n) {
      // Distributed deployments carry XML only; the receiving partition compiles it first.
      throw new Error('use deliverAsync for deployments');
    }
    this.process(partitionId, { ...command, authorizedTenants: undefined });
  }

  async deploy(...resources: Array<{ name: string; xml: string }>): Promise<CommandResponse> {
    const compiled = new Map<string, CompileResult>();
    for (const r of resources) compiled.set(r.name, await compileResource(r.name, r.xml));
    const response = this.processWithAttachment(1, {
      valueType: 'DEPLOYMENT',
      intent: 'CREATE',
      key: -1n,
      value: { resources: resources.map((r) => ({ resourceName: r.name, resource: r.xml })), processesMetadata: [], tenantId: this.tenant },
      attachment: { compiled } satisfies DeploymentAttachment,
    });
    // Distribute to the other partitions (compiling there too), then deliver their acknowledgements.
    const pending = this.outbox.splice(0);
    for (const cmd of pending) {
      if (cmd.valueType === 'DEPLOYMENT') {
        const value = cmd.value as { resources: Array<{ resourceName: string; resource: string }> };
        const remote = new Map<string, CompileResult>();
        for (const r of value.resources) remote.set(r.resourceName, await compileResource(r.resourceName, r.resource));
        this.processWithAttachment(cmd.partitionId, { ...cmd, attachment: { compiled: remote } });
      } else this.outbox.push(cmd);
    }
    if (this.autoDeliver) this.deliver();
    return response;
  }

  /** Like `deliver`, but also delivers (re-sent) distributed deployments, compiling them first. */
  async deliverAsync(): Promise<void> {
    while (this.outbox.length > 0) {
      const next = this.outbox.shift()!;
      if (next.valueType === 'DEPLOYMENT' && next.intent === 'CREATE') {
        const value = next.value as { resources: Array<{ resourceName: string; resource: string }> };
        const compiled = new Map<string, CompileResult>();
        for (const r of value.resources) compiled.set(r.resourceName, await compileResource(r.resourceName, r.resource));
        const saved = this.autoDeliver;
        this.autoDeliver = false;
        try {
          this.process(next.partitionId, { valueType: next.valueType, intent: next.intent, key: next.key, value: next.value, attachment: { compiled } });
        } finally {
          this.autoDeliver = saved;
        }
      } else {
        this.processAttached(next.partitionId, { valueType: next.valueType, intent: next.intent, key: next.key, value: next.value });
      }
    }
  }

  private processWithAttachment(partitionId: number, command: EngineCommand): CommandResponse {
    const saved = this.autoDeliver;
    this.autoDeliver = false;
    try {
      return this.process(partitionId, command)!;
    } finally {
      this.autoDeliver = saved;
    }
  }

  /** Deploys and returns the process definition key of the first process. */
  async deployProcess(xml: string, name = 'process.bpmn'): Promise<bigint> {
    const response = await this.deploy({ name, xml });
    if (!response.ok) throw new Error(`deploy failed: ${response.reason}`);
    const value = response.value as { processesMetadata: Array<{ processDefinitionKey: bigint }> };
    return value.processesMetadata[0]!.processDefinitionKey;
  }

  createInstance(bpmnProcessId: string, variables: Record<string, unknown> = {}, partitionId = 1): bigint {
    const response = this.process(partitionId, {
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE',
      key: -1n,
      value: { bpmnProcessId, processDefinitionKey: -1n, version: -1, variables, processInstanceKey: -1n, fetchVariables: [], tenantId: this.tenant },
    });
    if (!response?.ok) throw new Error(`create failed: ${response && !response.ok ? response.reason : 'no response'}`);
    return (response.value as { processInstanceKey: bigint }).processInstanceKey;
  }

  createInstanceWithResult(bpmnProcessId: string, variables: Record<string, unknown> = {}, fetchVariables: string[] = [], partitionId = 1): string {
    const requestId = `await-${++this.requestSeq}`;
    this.process(partitionId, {
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE_WITH_AWAITING_RESULT',
      key: -1n,
      requestId,
      value: { bpmnProcessId, processDefinitionKey: -1n, version: -1, variables, processInstanceKey: -1n, fetchVariables, tenantId: this.tenant },
    });
    return requestId;
  }

  activateJobs(type: string, max = 10, partitionId = 1, timeout = 30_000, fetchVariables: string[] = [], worker = 'test-worker'): ActivatedJobBatch {
    const response = this.process(partitionId, {
      valueType: 'JOB_BATCH',
      intent: 'ACTIVATE',
      key: -1n,
      value: { type, worker, timeout, maxJobsToActivate: max, fetchVariables, tenantIds: [this.tenant], jobKeys: [], jobs: [], truncated: false },
    });
    if (!response?.ok) throw new Error('activation rejected');
    return response.value as ActivatedJobBatch;
  }

  /** ActivateJobs for a worker of these tenants. */
  activateJobsFor(tenantIds: string[], type: string, max = 10, partitionId = 1): ActivatedJobBatch {
    const response = this.process(partitionId, {
      valueType: 'JOB_BATCH',
      intent: 'ACTIVATE',
      key: -1n,
      value: { type, worker: 'test-worker', timeout: 30_000, maxJobsToActivate: max, fetchVariables: [], tenantIds, jobKeys: [], jobs: [], truncated: false },
    });
    if (!response?.ok) throw new Error(`activation rejected: ${response && !response.ok ? response.reason : 'no response'}`);
    return response.value as ActivatedJobBatch;
  }

  jobCommand(intent: string, jobKey: bigint, value: Record<string, unknown> = {}): CommandResponse | null {
    return this.process(partitionOf(jobKey), { valueType: 'JOB', intent, key: jobKey, value });
  }

  completeJob(jobKey: bigint, variables: Record<string, unknown> = {}): CommandResponse | null {
    return this.jobCommand('COMPLETE', jobKey, { variables });
  }

  failJob(jobKey: bigint, retries: number, options: { errorMessage?: string; retryBackoff?: number; variables?: Record<string, unknown> } = {}): CommandResponse | null {
    return this.jobCommand('FAIL', jobKey, { retries, errorMessage: options.errorMessage ?? '', retryBackoff: options.retryBackoff ?? 0, variables: options.variables ?? {} });
  }

  throwError(jobKey: bigint, errorCode: string, errorMessage = '', variables: Record<string, unknown> = {}): CommandResponse | null {
    return this.jobCommand('THROW_ERROR', jobKey, { errorCode, errorMessage, variables });
  }

  updateJobRetries(jobKey: bigint, retries: number): CommandResponse | null {
    return this.jobCommand('UPDATE_RETRIES', jobKey, { retries });
  }

  updateJobTimeout(jobKey: bigint, timeout: number): CommandResponse | null {
    return this.jobCommand('UPDATE_TIMEOUT', jobKey, { timeout });
  }

  /** A raw CreateProcessInstance command (by id, version or key), for rejections. */
  createInstanceRaw(
    target: { bpmnProcessId?: string; version?: number; processDefinitionKey?: bigint },
    variables: Record<string, unknown> = {},
    partitionId = 1,
  ): CommandResponse | null {
    return this.process(partitionId, {
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE',
      key: -1n,
      value: {
        bpmnProcessId: target.bpmnProcessId ?? '',
        processDefinitionKey: target.processDefinitionKey ?? -1n,
        version: target.version ?? -1,
        variables,
        processInstanceKey: -1n,
        fetchVariables: [],
        tenantId: this.tenant,
      },
    });
  }

  publishMessage(name: string, correlationKey: string, variables: Record<string, unknown> = {}, timeToLive = 0, messageId = '', partitionId = 1): CommandResponse | null {
    return this.process(partitionId, {
      valueType: 'MESSAGE',
      intent: 'PUBLISH',
      key: -1n,
      value: { name, correlationKey, timeToLive, messageId, variables, deadline: -1, tenantId: this.tenant },
    });
  }

  /** POST /v2/messages/correlation: the command's own response, and the request id a later answer comes under (`deferred`). */
  correlateMessage(name: string, correlationKey: string, variables: Record<string, unknown> = {}, partitionId = 1): { requestId: string; response: CommandResponse | null } {
    const requestId = `correlate-${++this.requestSeq}`;
    const response = this.process(partitionId, {
      valueType: 'MESSAGE_CORRELATION',
      intent: 'CORRELATE',
      key: -1n,
      requestId,
      value: { name, correlationKey, variables, tenantId: this.tenant },
    });
    return { requestId, response };
  }

  broadcastSignal(signalName: string, variables: Record<string, unknown> = {}, partitionId = 1): CommandResponse | null {
    return this.process(partitionId, { valueType: 'SIGNAL', intent: 'BROADCAST', key: -1n, value: { signalName, variables, tenantId: this.tenant } });
  }

  resolveIncident(incidentKey: bigint): CommandResponse | null {
    return this.process(partitionOf(incidentKey), { valueType: 'INCIDENT', intent: 'RESOLVE', key: incidentKey, value: {} });
  }

  setVariables(scopeKey: bigint, variables: Record<string, unknown>, local = false): CommandResponse | null {
    return this.process(partitionOf(scopeKey), {
      valueType: 'VARIABLE_DOCUMENT',
      intent: 'UPDATE',
      key: -1n,
      value: { scopeKey, updateSemantics: local ? 'LOCAL' : 'PROPAGATE', variables, tenantId: this.tenant },
    });
  }

  cancelInstance(processInstanceKey: bigint): CommandResponse | null {
    return this.process(partitionOf(processInstanceKey), { valueType: 'PROCESS_INSTANCE', intent: 'CANCEL', key: processInstanceKey, value: {} });
  }

  /** ModifyProcessInstance: `activate` as [elementId, ancestorScopeKey?, variable instructions?]. */
  modifyInstance(
    processInstanceKey: bigint,
    activate: Array<{ elementId: string; ancestorScopeKey?: bigint; variableInstructions?: Array<{ elementId?: string; variables: Record<string, unknown> }> }>,
    terminate: bigint[] = [],
  ): CommandResponse | null {
    return this.process(partitionOf(processInstanceKey), {
      valueType: 'PROCESS_INSTANCE_MODIFICATION',
      intent: 'MODIFY',
      key: processInstanceKey,
      value: {
        processInstanceKey,
        activateInstructions: activate.map((a) => ({
          elementId: a.elementId,
          ancestorScopeKey: a.ancestorScopeKey ?? -1n,
          variableInstructions: (a.variableInstructions ?? []).map((v) => ({ elementId: v.elementId ?? '', variables: v.variables })),
          ancestorScopeKeys: [],
        })),
        terminateInstructions: terminate.map((elementInstanceKey) => ({ elementInstanceKey })),
        ancestorScopeKeys: [],
        tenantId: this.tenant,
      },
    });
  }

  /** MigrateProcessInstance with `mapping` as [sourceElementId, targetElementId] pairs. */
  migrateInstance(processInstanceKey: bigint, targetProcessDefinitionKey: bigint, mapping: Array<[string, string]>): CommandResponse | null {
    return this.process(partitionOf(processInstanceKey), {
      valueType: 'PROCESS_INSTANCE_MIGRATION',
      intent: 'MIGRATE',
      key: processInstanceKey,
      value: {
        processInstanceKey,
        targetProcessDefinitionKey,
        mappingInstructions: mapping.map(([sourceElementId, targetElementId]) => ({ sourceElementId, targetElementId })),
        tenantId: this.tenant,
      },
    });
  }

  /** DeleteResource, taken by partition 1 as deployments are. */
  deleteResource(resourceKey: bigint): CommandResponse | null {
    return this.process(1, { valueType: 'RESOURCE_DELETION', intent: 'DELETE', key: -1n, value: { resourceKey, tenantId: this.tenant } });
  }

  /** Moves the clock and processes everything that became due, like the driver's scheduler (by a pinned clock, if any). */
  advanceTime(ms: number): void {
    this.now += ms;
    for (const p of this.partitions) {
      for (const command of dueCommands(p.state, p.state.pinnedClock ?? this.now, 10_000)) this.process(p.id, { ...command, authorizedTenants: undefined });
    }
  }

  /** PUT /v2/clock: taken by partition 1, which distributes it. */
  pinClock(time: number): CommandResponse | null {
    return this.process(1, { valueType: 'CLOCK', intent: 'PIN', key: -1n, value: { time } });
  }

  /** POST /v2/clock/reset. */
  resetClock(): CommandResponse | null {
    return this.process(1, { valueType: 'CLOCK', intent: 'RESET', key: -1n, value: { time: 0 } });
  }

  /** Root-scope variables of an instance, parsed. */
  variablesOf(scopeKey: bigint): Record<string, unknown> {
    const state = this.partition(partitionOf(scopeKey)).state;
    const out: Record<string, unknown> = {};
    for (const [name, row] of state.variables.local(scopeKey)) out[name] = JSON.parse(row.value);
    return out;
  }

  /** Events of one kind and intent, e.g. ('INCIDENT', 'CREATED'). */
  events<V = any>(valueType: ValueType, intent: string, partitionId?: number): ZenRecord<V>[] {
    return this.records(partitionId).filter(
      (r) => r.recordType === 'EVENT' && r.valueType === valueType && r.intent === intent,
    ) as ZenRecord<V>[];
  }

  /** `elementId:INTENT` of one process instance's PROCESS_INSTANCE events. */
  elementStreamOf(processInstanceKey: bigint): string[] {
    return this.partition(partitionOf(processInstanceKey))
      .log.filter(
        (r) =>
          r.recordType === 'EVENT' &&
          r.valueType === 'PROCESS_INSTANCE' &&
          (r.value as { processInstanceKey: bigint }).processInstanceKey === processInstanceKey,
      )
      .map((r) => `${(r.value as { elementId: string }).elementId}:${r.intent}`);
  }

  /** The key of the (single) job created for an element, optionally of one instance. */
  jobKeyOf(elementId: string, processInstanceKey?: bigint): bigint {
    const created = this.events<{ elementId: string; processInstanceKey: bigint }>('JOB', 'CREATED').filter(
      (r) => r.value.elementId === elementId && (processInstanceKey === undefined || r.value.processInstanceKey === processInstanceKey),
    );
    if (created.length === 0) throw new Error(`no job created for '${elementId}'`);
    return created[created.length - 1]!.key;
  }

  /** A USER_TASK command (ASSIGN, CLAIM, UPDATE, COMPLETE) on a Camunda user task. */
  userTaskCommand(intent: string, userTaskKey: bigint, value: Record<string, unknown> = {}): CommandResponse | null {
    return this.process(partitionOf(userTaskKey), { valueType: 'USER_TASK', intent, key: userTaskKey, value });
  }

  /** The key of the latest Camunda user task created for an element. */
  userTaskKeyOf(elementId: string, processInstanceKey?: bigint): bigint {
    const created = this.events<{ elementId: string; processInstanceKey: bigint }>('USER_TASK', 'CREATING').filter(
      (r) => r.value.elementId === elementId && (processInstanceKey === undefined || r.value.processInstanceKey === processInstanceKey),
    );
    if (created.length === 0) throw new Error(`no user task created for '${elementId}'`);
    return created[created.length - 1]!.key;
  }

  /** Completes a task listener's job with a result (denied, deniedReason, corrections). */
  completeListenerJob(jobKey: bigint, result: Record<string, unknown> = {}): CommandResponse | null {
    return this.jobCommand('COMPLETE', jobKey, { variables: {}, result });
  }

  /** Element instance key of the latest activation of an element. */
  elementKeyOf(elementId: string, processInstanceKey?: bigint): bigint {
    const found = this.events<{ elementId: string; processInstanceKey: bigint }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter(
      (r) => r.value.elementId === elementId && (processInstanceKey === undefined || r.value.processInstanceKey === processInstanceKey),
    );
    if (found.length === 0) throw new Error(`'${elementId}' was never activated`);
    return found[found.length - 1]!.key;
  }

  /** Whether an instance (or any element instance) is still in the state. */
  isActive(elementInstanceKey: bigint): boolean {
    return this.partition(partitionOf(elementInstanceKey)).state.elementInstances.get(elementInstanceKey) !== undefined;
  }

  /** Rejections of one command kind as `TYPE: reason`. */
  rejectionsOf(valueType: ValueType, intent?: string): ZenRecord[] {
    return this.rejections().filter((r) => r.valueType === valueType && (intent === undefined || r.intent === intent));
  }

  rejections(partitionId?: number): ZenRecord[] {
    return this.records(partitionId).filter((r) => r.recordType === 'COMMAND_REJECTION');
  }

  /**
   * Replays each partition's log into fresh state and returns [live, replayed] table dumps;
   * a scenario is deterministic when they are equal.
   */
  async replayAll(): Promise<Array<{ live: unknown; replayed: unknown }>> {
    const out: Array<{ live: unknown; replayed: unknown }> = [];
    for (const p of this.partitions) {
      const state = new EngineState(p.id);
      const models = new ModelCache();
      let commandIndex = 0;
      for (const record of p.log) {
        if (record.recordType === 'COMMAND') {
          if (commandIndex > 0) state.setKeyCounter(p.watermarks[commandIndex - 1]!);
          commandIndex++;
        }
        if (record.recordType === 'EVENT' && record.valueType === 'PROCESS' && record.intent === 'CREATED') {
          const value = record.value as { processDefinitionKey: bigint; resourceName: string; resource: string; bpmnProcessId: string };
          const compiled = await compileResource(value.resourceName, value.resource);
          if (compiled.ok) models.put(value.processDefinitionKey, compiled.resource.processes.find((x) => x.id === value.bpmnProcessId)!);
        }
        applyEvent(state, record, models);
      }
      if (p.watermarks.length > 0) state.setKeyCounter(p.watermarks[p.watermarks.length - 1]!);
      out.push({ live: dumpState(p.state), replayed: dumpState(state) });
    }
    return out;
  }
}

/** Every scenario ends here: each partition's log, replayed into fresh state, gives the live state. */
export async function expectReplayable(h: EngineHarness): Promise<void> {
  const results = await h.replayAll();
  expect(results).toHaveLength(h.partitions.length);
  results.forEach(({ live, replayed }, i) => {
    expect(replayed, `partition ${i + 1} replayed state`).toEqual(live);
  });
}

/** Asserts a command was answered with a rejection of this type whose reason contains `fragments`. */
export function expectRejected(response: CommandResponse | null, rejectionType: string, ...fragments: string[]): void {
  expect(response, 'expected a response').not.toBeNull();
  if (response!.ok) expect.fail(`expected a ${rejectionType} rejection, but the command was accepted`);
  expect(response!.rejectionType).toBe(rejectionType);
  for (const fragment of fragments) expect(response!.reason).toContain(fragment);
}

export function partitionOf(key: bigint): number {
  return Number(key >> 51n);
}

export function dumpState(state: EngineState): Record<string, Array<[string, unknown]>> {
  const out: Record<string, Array<[string, unknown]>> = {};
  for (const table of state.tables()) out[table.name] = table.entries().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out;
}
