/**
 * One compact, stable line per record for data-driven scenarios (test/engine/testdata/): keys
 * become aliases named after what they identify (an element instance after its element id, a
 * job `job1`...), times are relative to the harness's start, and only the fields a reader
 * needs are printed, so a file does not change when an unrelated key or field does.
 *
 *   E PROCESS_INSTANCE:ELEMENT_ACTIVATED SERVICE_TASK task
 *   E JOB:CREATED job1 type=work on=task
 *   R JOB:COMPLETE job1 NOT_FOUND "Expected to ..."
 */
import type { ZenRecord } from '../../src/engine/records.js';

type Value = Record<string, unknown>;

/** Prefixes of counter aliases, by the value type whose record key names the thing. */
const KEY_PREFIX: Partial<Record<string, string>> = {
  JOB: 'job',
  TIMER: 'timer',
  MESSAGE: 'msg',
  INCIDENT: 'incident',
  DEPLOYMENT: 'deployment',
  JOB_BATCH: 'batch',
  SIGNAL: 'signal',
  ESCALATION: 'escalation',
  ERROR: 'error',
  USER_TASK: 'task',
  COMPENSATION_SUBSCRIPTION: 'compensation',
  CONDITIONAL_SUBSCRIPTION: 'condition',
  CONDITIONAL_EVALUATION: 'evaluation',
};

/** Fields worth a line, per value type; keys among them print as aliases. */
const FIELDS: Partial<Record<string, readonly string[]>> = {
  JOB: ['type', 'elementInstanceKey', 'retries', 'errorCode', 'errorMessage', 'variables'],
  TIMER: ['targetElementId', 'elementInstanceKey', 'dueDate', 'repetitions'],
  MESSAGE: ['name', 'correlationKey', 'timeToLive', 'messageId', 'variables'],
  MESSAGE_SUBSCRIPTION: ['messageName', 'correlationKey', 'elementInstanceKey', 'messageKey', 'variables', 'interrupting'],
  PROCESS_MESSAGE_SUBSCRIPTION: ['messageName', 'correlationKey', 'elementInstanceKey', 'messageKey', 'variables', 'interrupting'],
  MESSAGE_START_EVENT_SUBSCRIPTION: ['messageName', 'correlationKey', 'startEventId', 'processInstanceKey', 'variables'],
  MESSAGE_CORRELATION: ['name', 'correlationKey', 'processInstanceKey', 'variables'],
  INCIDENT: ['errorType', 'elementInstanceKey', 'errorMessage'],
  ERROR: ['exceptionMessage', 'processInstanceKey'],
  ESCALATION: ['escalationCode', 'throwElementId', 'catchElementId'],
  SIGNAL: ['signalName', 'variables'],
  SIGNAL_SUBSCRIPTION: ['signalName', 'catchElementId', 'elementInstanceKey'],
  PROCESS_EVENT: ['targetElementId', 'scopeKey', 'variables'],
  PROCESS_INSTANCE_CREATION: ['bpmnProcessId', 'processInstanceKey', 'variables', 'startInstructions'],
  VARIABLE_DOCUMENT: ['scopeKey', 'updateSemantics', 'variables'],
  JOB_BATCH: ['type', 'jobKeys'],
  COMMAND_DISTRIBUTION: ['partitionId', 'valueType', 'intent'],
  USER_TASK: ['elementInstanceKey', 'assignee', 'candidateGroupsList', 'priority', 'changedAttributes', 'action', 'variables', 'deniedReason'],
  COMPENSATION_SUBSCRIPTION: ['compensableActivityId', 'compensableActivityInstanceKey', 'throwEventId', 'compensationHandlerId', 'compensationHandlerInstanceKey'],
  CONDITIONAL_SUBSCRIPTION: ['catchEventId', 'elementInstanceKey', 'condition', 'interrupting'],
  CONDITIONAL_EVALUATION: ['processDefinitionKey', 'variables', 'startedProcessInstances'],
  AD_HOC_SUB_PROCESS_INSTRUCTION: ['adHocSubProcessInstanceKey', 'activateElements'],
  PROCESS_INSTANCE_MODIFICATION: ['processInstanceKey', 'activateInstructions', 'terminateInstructions'],
  PROCESS_INSTANCE_MIGRATION: ['processInstanceKey', 'targetProcessDefinitionKey', 'mappingInstructions'],
  RESOURCE_DELETION: ['resourceKey'],
};

/** Short names for fields whose full name would crowd a line. */
const LABEL: Partial<Record<string, string>> = {
  elementInstanceKey: 'on',
  processInstanceKey: 'instance',
  scopeKey: 'scope',
  targetElementId: 'target',
  correlationKey: 'key',
  messageKey: 'msg',
  variables: 'vars',
  timeToLive: 'ttl',
};

/** Values that say nothing (defaults): left out of a line. */
function isDefault(field: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === -1n || value === -1) return true;
  if (Array.isArray(value) && value.length === 0) return true;
  if (typeof value === 'object' && !Array.isArray(value) && typeof value !== 'bigint' && Object.keys(value as object).length === 0) return true;
  if (field === 'interrupting' && value === true) return true;
  if (field === 'repetitions' && value === 1) return true;
  if (field === 'retries' && value === 3) return true;
  if (field === 'timeToLive' && value === 0) return true;
  if (field === 'updateSemantics' && value === 'PROPAGATE') return true;
  if (field === 'priority' && value === 50) return true;
  return false;
}

/** Turns keys into names and records into lines; one per scenario so aliases stay put. */
export class RecordLines {
  private readonly aliases = new Map<bigint, string>();
  private readonly counters = new Map<string, number>();

  /** `start` is the clock the scenario began at: due dates print relative to it. */
  constructor(private readonly start: number) {}

  /** The name of a key, or a new `keyN` one when nothing named it yet. */
  alias(key: bigint): string {
    return this.aliases.get(key) ?? this.name(key, 'key');
  }

  /** The key a name stands for (for commands such as `cancel p`). */
  keyOf(alias: string): bigint | undefined {
    for (const [key, name] of this.aliases) if (name === alias) return key;
    return undefined;
  }

  /** Lines for a batch of records, naming their keys first so a line may use a name logged later in the batch. */
  format(records: readonly ZenRecord[], partitioned = false): string[] {
    for (const record of records) this.nameKeyOf(record);
    return records.map((r) => (partitioned ? `p${r.partitionId} ` : '') + this.line(r));
  }

  private nameKeyOf(record: ZenRecord): void {
    if (record.key <= 0n || this.aliases.has(record.key)) return;
    const value = record.value as Value;
    if (record.valueType === 'PROCESS_INSTANCE' && record.intent !== 'SEQUENCE_FLOW_TAKEN' && typeof value.elementId === 'string') {
      this.name(record.key, value.elementId, true);
    } else if (record.valueType === 'PROCESS' && typeof value.bpmnProcessId === 'string') {
      this.name(record.key, `${value.bpmnProcessId}.v${String(value.version)}`, true);
    } else if (record.recordType !== 'COMMAND' && KEY_PREFIX[record.valueType]) {
      this.name(record.key, KEY_PREFIX[record.valueType]!);
    }
  }

  /** `base` alone for the first (when `bare`), then `base#2`...; counters otherwise: `job1`, `job2`. */
  private name(key: bigint, base: string, bare = false): string {
    const n = (this.counters.get(base) ?? 0) + 1;
    this.counters.set(base, n);
    const alias = bare ? (n === 1 ? base : `${base}#${n}`) : `${base}${n}`;
    this.aliases.set(key, alias);
    return alias;
  }

  private line(record: ZenRecord): string {
    const kind = record.recordType === 'COMMAND' ? 'C' : record.recordType === 'EVENT' ? 'E' : 'R';
    const parts = [kind, `${record.valueType}:${record.intent}`, ...this.details(record)];
    if (record.recordType === 'COMMAND_REJECTION') parts.push(String(record.rejectionType), JSON.stringify(this.unkey(record.rejectionReason ?? '')));
    return parts.join(' ');
  }

  private details(record: ZenRecord): string[] {
    const value = record.value as Value;
    const key = record.key > 0n ? [this.alias(record.key)] : [];
    switch (record.valueType) {
      case 'PROCESS_INSTANCE': {
        if (record.recordType === 'COMMAND') return key;
        const event = value.bpmnEventType && value.bpmnEventType !== 'UNSPECIFIED' && value.bpmnEventType !== 'NONE' ? `/${String(value.bpmnEventType)}` : '';
        const type = `${String(value.bpmnElementType)}${event}`;
        return record.intent === 'SEQUENCE_FLOW_TAKEN' ? [String(value.elementId)] : [type, ...key];
      }
      case 'VARIABLE':
        return [`${String(value.name)}=${String(value.value)}`, `in=${this.alias(value.scopeKey as bigint)}`];
      case 'PROCESS':
        return key;
      case 'DEPLOYMENT': {
        const resources = (value.resources as Array<{ resourceName: string }> | undefined) ?? [];
        return [...key, ...resources.map((r) => r.resourceName)];
      }
      default:
        return [...key, ...this.fields(record.valueType, value, record.key)];
    }
  }

  private fields(valueType: string, value: Value, key: bigint): string[] {
    const out: string[] = [];
    for (const field of FIELDS[valueType] ?? []) {
      const v = value[field];
      // The record's own key is already on the line (a subscription is keyed by its element instance).
      if (isDefault(field, v) || (key > 0n && v === key)) continue;
      out.push(`${LABEL[field] ?? field}=${this.show(field, v)}`);
    }
    return out;
  }

  private show(field: string, v: unknown): string {
    if (typeof v === 'bigint') return this.alias(v);
    if (field === 'dueDate' && typeof v === 'number') return relative(v - this.start);
    if (field === 'timeToLive' && typeof v === 'number') return relative(v).slice(1);
    if (Array.isArray(v) && v.every((x) => typeof x === 'bigint')) return `[${v.map((x) => this.alias(x as bigint)).join(',')}]`;
    if (typeof v === 'string') return /^[\w.\-:]+$/.test(v) ? v : JSON.stringify(v);
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? (x > 0n ? this.alias(x) : Number(x)) : x));
  }

  /** Raw keys inside a rejection reason, replaced by their names. */
  private unkey(text: string): string {
    return text.replace(/\b\d{13,}\b/g, (digits) => (this.aliases.has(BigInt(digits)) ? this.alias(BigInt(digits)) : digits));
  }
}

/** `+10s`, `+1m30s`, `+250ms`: a clock offset short enough for a line. */
export function relative(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.abs(ms);
  if (rest === 0) return '+0s';
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let out = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return sign + out;
}

/** Milliseconds of `10s`, `5m`, `1h30m`, `250ms`. */
export function parseDuration(text: string): number {
  const re = /(\d+)(ms|d|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'd' | 'h' | 'm' | 's' | 'ms'];
    matched += m[0];
  }
  if (matched !== text || matched === '') throw new Error(`bad duration '${text}' (e.g. 10s, 5m, 1h30m, 250ms)`);
  return total;
}
