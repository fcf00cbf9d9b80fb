/**
 * PROCESS_INSTANCE_MIGRATION MIGRATE (MigrateProcessInstance): a running instance moves to another
 * process definition. Every element instance is mapped to an element of the target, from the
 * process down (so a child's flow scope is already migrated when it is checked); each keeps its
 * key, its variables, its job (type and retries unchanged, as in Zeebe), its incident and the
 * subscriptions of its catch events that are mapped (its own event, its boundary events, its event
 * sub-processes' start events); the target's catch events nothing is mapped to are subscribed anew.
 * What Zen cannot migrate yet is refused naming the element, and nothing of the command is kept.
 */
import type { BpmnElementType, ExecutableElement, ExecutableProcess } from '../../../model/types.js';
import { closeSubscriptions, openSubscriptions, planSubscriptions, waitingEvents } from '../../behaviors/event-subscriptions.js';
import { removeDeletedDefinition } from '../../behaviors/process-definitions.js';
import { visibleVariables } from '../../behaviors/variables.js';
import { elementOf } from '../../models.js';
import type { ProcessingContext } from '../../processing/context.js';
import { CommandRejected } from '../../processing/rejection.js';
import type { EngineCommand } from '../../processing/types.js';
import type { ProcessInstanceMigrationValue, ProcessInstanceValue, ProcessValue, VariableValue } from '../../records.js';
import { jobKeyOf } from '../../state/element-instances.js';
import { hasPendingTokens } from '../../state/join-tokens.js';
import type { ElementInstance } from '../../state/types.js';
import { tenantOf } from '../../tenants.js';

/** The element kinds an active instance may be of, as in Zeebe (job-worker tasks of every kind Zen runs). */
const SUPPORTED: ReadonlySet<BpmnElementType> = new Set([
  'PROCESS', 'SERVICE_TASK', 'USER_TASK', 'SEND_TASK', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK', 'SUB_PROCESS', 'CALL_ACTIVITY',
  'INTERMEDIATE_CATCH_EVENT', 'RECEIVE_TASK',
]);
const SUPPORTED_CATCH_EVENTS: ReadonlySet<string> = new Set(['MESSAGE', 'TIMER']);

interface Migration {
  readonly processInstanceKey: bigint;
  readonly source: ExecutableProcess;
  readonly target: ExecutableProcess;
  readonly targetRow: ProcessValue;
  /** Source element id → target element id; the process ids included. */
  readonly mapping: ReadonlyMap<string, string>;
}

const refused = (reason: string) => new CommandRejected('INVALID_STATE', reason);

export function processInstanceMigrate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as ProcessInstanceMigrationValue;
  const key = value.processInstanceKey;
  const processInstance = ctx.state.elementInstances.get(key);
  if (!processInstance || processInstance.value.flowScopeKey > 0n || !ctx.mayUseTenant(processInstance.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to migrate process instance but no process instance found with key '${key}'`);
    return;
  }
  const instructions = value.mappingInstructions ?? [];
  const counts = new Map<string, number>();
  for (const { sourceElementId } of instructions) counts.set(sourceElementId, (counts.get(sourceElementId) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  if (duplicates.length > 0) {
    ctx.reject('INVALID_ARGUMENT', `Expected to migrate process instance '${key}' but the mapping instructions contain duplicate source element ids '[${duplicates.join(', ')}]'.`);
    return;
  }
  // An instance stays in its tenant: another tenant's definition is not found, as in Zeebe.
  const targetRow = ctx.state.processes.usableInTenant(value.targetProcessDefinitionKey, tenantOf(processInstance.value.tenantId));
  if (!targetRow) {
    ctx.reject('NOT_FOUND', `Expected to migrate process instance to process definition but no process definition found with key '${value.targetProcessDefinitionKey}'`);
    return;
  }
  const sourceKey = processInstance.value.processDefinitionKey;
  const source = ctx.models.get(sourceKey);
  const target = ctx.models.get(targetRow.key);
  for (const { sourceElementId, targetElementId } of instructions) {
    if (!source.elements.has(sourceElementId)) {
      ctx.reject(
        'INVALID_ARGUMENT',
        `Expected to migrate process instance '${key}' but mapping instructions contain a non-existing source element id '${sourceElementId}'. Elements provided in mapping instructions must exist in the source process definition.`,
      );
      return;
    }
    if (!target.elements.has(targetElementId)) {
      ctx.reject(
        'INVALID_ARGUMENT',
        `Expected to migrate process instance '${key}' but mapping instructions contain a non-existing target element id '${targetElementId}'. Elements provided in mapping instructions must exist in the target process definition.`,
      );
      return;
    }
  }
  const mapping = new Map(instructions.map((i) => [i.sourceElementId, i.targetElementId] as const));
  mapping.set(source.id, target.id);
  const migration: Migration = { processInstanceKey: key, source, target, targetRow: targetRow.value, mapping };

  if (ctx.state.compensations.ofProcessInstance(key).length > 0) {
    ctx.reject(
      'INVALID_STATE',
      `Expected to migrate process instance '${key}' but it has completed activities that can still be compensated. Migrating compensation subscriptions is not possible yet.`,
    );
    return;
  }
  const queue: bigint[] = [key];
  for (let i = 0; i < queue.length; i++) {
    migrateElementInstance(ctx, migration, ctx.state.elementInstances.get(queue[i]!)!);
    queue.push(...ctx.state.elementInstances.childrenOf(queue[i]!));
  }
  const migrated: ProcessInstanceMigrationValue = { ...value, mappingInstructions: instructions, tenantId: processInstance.value.tenantId };
  ctx.event('PROCESS_INSTANCE_MIGRATION', 'MIGRATED', key, migrated);
  // The last instance of a deleted definition has left it.
  if (sourceKey !== targetRow.key) removeDeletedDefinition(ctx, sourceKey);
  ctx.respond(key, migrated);
}

function migrateElementInstance(ctx: ProcessingContext, m: Migration, instance: ElementInstance): void {
  const v = instance.value;
  const pi = m.processInstanceKey;
  const element = elementOf(m.source, v);
  requireSupported(pi, v);
  const targetId = m.mapping.get(v.elementId);
  if (targetId === undefined) {
    throw refused(`Expected to migrate process instance '${pi}' but no mapping instruction defined for active element with id '${v.elementId}'. Elements cannot be migrated without a mapping.`);
  }
  const targetElement = m.target.elements.get(targetId)!;
  if (targetElement.type !== v.bpmnElementType) {
    throw refused(
      `Expected to migrate process instance '${pi}' but active element with id '${v.elementId}' and type '${v.bpmnElementType}' is mapped to an element with id '${targetId}' and different type '${targetElement.type}'. Elements must be mapped to elements of the same type.`,
    );
  }
  if (targetElement.eventType !== v.bpmnEventType && (v.bpmnElementType === 'INTERMEDIATE_CATCH_EVENT' || v.bpmnElementType === 'RECEIVE_TASK')) {
    throw refused(
      `Expected to migrate process instance '${pi}' but active element with id '${v.elementId}' and event type '${v.bpmnEventType}' is mapped to an element with id '${targetId}' and different event type '${targetElement.eventType}'. Catch events must be mapped to catch events of the same event type.`,
    );
  }
  const scope = v.flowScopeKey > 0n ? ctx.state.elementInstances.get(v.flowScopeKey) : undefined;
  // The flow scope was migrated before its children: its element id is already the target's.
  if (scope && scope.value.elementId !== targetElement.flowScopeId) {
    throw refused(
      `Expected to migrate process instance '${pi}' but the flow scope of active element with id '${v.elementId}' is changed. The flow scope of the active element is expected to be '${scope.value.elementId}' but was '${targetElement.flowScopeId}'. The flow scope of an element cannot be changed during migration yet.`,
    );
  }
  const catchEvents = planCatchEvents(m, v, element, targetElement, targetId);
  if (hasPendingTokens(instance)) {
    // Tokens waiting at a join in this scope name the source's gateways and flows.
    throw refused(`Expected to migrate process instance '${pi}' but a concurrent command was executed on the process instance. Please retry the migration.`);
  }

  const t = m.targetRow;
  const migrated: ProcessInstanceValue = { ...v, processDefinitionKey: t.processDefinitionKey, bpmnProcessId: t.bpmnProcessId, version: t.version, elementId: targetId };
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_MIGRATED', instance.key, migrated);
  const jobKey = jobKeyOf(instance);
  const job = jobKey > 0n ? ctx.state.jobs.get(jobKey) : undefined;
  if (job) {
    ctx.event('JOB', 'MIGRATED', jobKey, { ...job.value, processDefinitionKey: t.processDefinitionKey, processDefinitionVersion: t.version, bpmnProcessId: t.bpmnProcessId, elementId: targetId });
  }
  for (const incidentKey of [ctx.state.incidents.ofElementInstance(instance.key), jobKey > 0n ? ctx.state.incidents.ofJob(jobKey) : undefined]) {
    const incident = incidentKey === undefined ? undefined : ctx.state.incidents.get(incidentKey);
    if (incident) ctx.event('INCIDENT', 'MIGRATED', incident.key, { ...incident.value, processDefinitionKey: t.processDefinitionKey, bpmnProcessId: t.bpmnProcessId, elementId: targetId });
  }
  for (const [name, row] of ctx.state.variables.local(instance.key)) {
    // Without the value, as Zeebe writes it: only where the variable belongs changed.
    const variable: VariableValue = { name, value: 'null', scopeKey: instance.key, processInstanceKey: v.processInstanceKey, processDefinitionKey: t.processDefinitionKey, bpmnProcessId: t.bpmnProcessId, tenantId: v.tenantId };
    ctx.event('VARIABLE', 'MIGRATED', row.key, variable);
  }
  // An element that has not activated yet has not subscribed either (as in Zeebe).
  if (instance.state === 'ACTIVATING') return;
  migrateCatchEvents(ctx, m, ctx.state.elementInstances.get(instance.key)!, catchEvents);
}

/** What an element instance waits on (its own event, its boundary events, its event sub-processes' starts), source and target. */
interface CatchEventPlan {
  /** Source catch event id → target catch event id, for the ones mapped. */
  readonly mapped: ReadonlyMap<string, string>;
  /** Target catch events nothing is mapped to: subscribed anew. */
  readonly fresh: readonly ExecutableElement[];
}

function planCatchEvents(m: Migration, v: ProcessInstanceValue, element: ExecutableElement, targetElement: ExecutableElement, targetId: string): CatchEventPlan {
  const pi = m.processInstanceKey;
  const targetEvents = waitingEvents(targetElement, m.target);
  const targetIds = new Set(targetEvents.map((e) => e.id));
  const mapped = new Map<string, string>();
  for (const event of waitingEvents(element, m.source)) {
    const to = m.mapping.get(event.id);
    if (to === undefined) continue;
    if (!targetIds.has(to)) {
      throw refused(
        `Expected to migrate process instance '${pi}' but active element with id '${v.elementId}' is mapped to an element with id '${targetId}' and has a catch event with id '${event.id}' that is mapped to an element with id '${to}'. These mappings detach the catch event from the element in the target process. Catch events must stay attached to the same element instance.`,
      );
    }
    const target = m.target.elements.get(to)!;
    if (target.eventType !== event.eventType) {
      throw refused(
        `Expected to migrate process instance '${pi}' but active element with id '${v.elementId}' has a catch event with id '${event.id}' and event type '${event.eventType}' that is mapped to a catch event with id '${to}' and different event type '${target.eventType}'. Catch events must be mapped to catch events of the same event type.`,
      );
    }
    if ([...mapped.values()].includes(to)) {
      throw refused(`Expected to migrate process instance '${pi}' but active element with id '${v.elementId}' has more than one catch event mapped to the catch event with id '${to}'. Each catch event can be the target of one mapping only.`);
    }
    mapped.set(event.id, to);
  }
  const targets = new Set(mapped.values());
  // A conditional subscription carries its condition: a mapped one is opened anew with the target's.
  return { mapped, fresh: targetEvents.filter((e) => !targets.has(e.id) || e.conditional) };
}

/**
 * Subscriptions of mapped catch events move to their target events (timers keep their due date,
 * message subscriptions their name and correlation key); those of unmapped ones are closed; the
 * target's catch events nothing was mapped to are subscribed anew, evaluated in the instance's scope.
 */
function migrateCatchEvents(ctx: ProcessingContext, m: Migration, instance: ElementInstance, plan: CatchEventPlan): void {
  const t = m.targetRow;
  for (const row of ctx.state.conditionals.ofElementInstance(instance.key)) ctx.event('CONDITIONAL_SUBSCRIPTION', 'DELETED', row.key, row.value);
  closeSubscriptions(ctx, instance, (eventId) => !plan.mapped.has(eventId));
  for (const timerKey of ctx.state.timers.ofElementInstance(instance.key)) {
    const timer = ctx.state.timers.get(timerKey)!;
    ctx.event('TIMER', 'MIGRATED', timerKey, { ...timer.value, processDefinitionKey: t.processDefinitionKey, targetElementId: plan.mapped.get(timer.value.targetElementId)! });
  }
  for (const row of ctx.state.processMessageSubscriptions.ofElementInstance(instance.key)) {
    if (row.state === 'DELETING') continue;
    const elementId = plan.mapped.get(row.value.elementId)!;
    ctx.event('PROCESS_MESSAGE_SUBSCRIPTION', 'MIGRATED', instance.key, { ...row.value, processDefinitionKey: t.processDefinitionKey, bpmnProcessId: t.bpmnProcessId, elementId });
  }
  for (const subscription of ctx.state.signals.ofElementInstance(instance.key)) {
    // The catch event is part of a signal subscription's identity: it is replaced.
    ctx.event('SIGNAL_SUBSCRIPTION', 'DELETED', instance.key, subscription);
    ctx.event('SIGNAL_SUBSCRIPTION', 'CREATED', instance.key, {
      ...subscription,
      catchElementId: plan.mapped.get(subscription.catchElementId)!,
      processDefinitionKey: t.processDefinitionKey,
      bpmnProcessId: t.bpmnProcessId,
    });
  }
  if (instance.state !== 'ACTIVATED' || plan.fresh.length === 0) return;
  const v = instance.value;
  const planned = planSubscriptions(plan.fresh, () => visibleVariables(ctx, instance.key), ctx.now);
  if (!planned.ok) {
    throw refused(`Expected to migrate process instance '${m.processInstanceKey}' but active element with id '${v.elementId}' cannot subscribe to its catch events in the target process: ${planned.message}`);
  }
  for (const message of planned.value.messages) {
    if (ctx.state.processMessageSubscriptions.get(instance.key, message.name)) {
      throw refused(
        `Expected to migrate process instance '${m.processInstanceKey}' but active element with id '${v.elementId}' attempts to subscribe to a message it is already subscribed to with name '${message.name}'. Migrating active elements that subscribe to a message they are already subscribed to is not possible yet. Please provide a mapping instruction to message catch event with id '${message.element.id}' to migrate the respective message subscription.`,
      );
    }
  }
  openSubscriptions(ctx, instance, planned.value);
}

function requireSupported(pi: bigint, v: ProcessInstanceValue): void {
  if (!SUPPORTED.has(v.bpmnElementType)) {
    throw refused(`Expected to migrate process instance '${pi}' but active element with id '${v.elementId}' has an unsupported type. The migration of a ${v.bpmnElementType} is not supported.`);
  }
  if (v.bpmnElementType === 'INTERMEDIATE_CATCH_EVENT' && !SUPPORTED_CATCH_EVENTS.has(v.bpmnEventType)) {
    throw refused(
      `Expected to migrate process instance '${pi}' but active element with id '${v.elementId}' is intermediate catch event of type '${v.bpmnEventType}'. Migrating active intermediate catch event of this type is not possible yet.`,
    );
  }
}
