/**
 * Runs the commands of data-driven engine scenarios (test/engine/testdata/*.txt) on an
 * EngineHarness and answers each with the compact lines of the records it produced.
 *
 *   model <id>                     input: bpmn-builder parts, e.g. start(), serviceTask('t', 'work'), ...
 *   deploy <id>...                 one deployment holding the named models
 *   partitions <n>                 (first command only) run on n partitions; lines then start with pN
 *   create <processId> [partition=N]   input: variables (JSON)
 *   activate <type> [max=N]
 *   complete <type|jobN> [all]     the oldest open job of a type (every one with `all`); input: variables
 *   fail <type|jobN> retries=N [backoff=10s]
 *   throw <type|jobN> code=CODE    throws a BPMN error from the job; input: variables
 *   retries <jobN> N
 *   publish <name> key=K [ttl=1m] [id=ID]   on the correlation key's partition; input: variables
 *   signal <name>                  input: variables
 *   set <alias> [local]            input: variables
 *   advance <duration>             moves the clock and fires what became due
 *   cancel <alias> | resolve <alias>
 *   usertask <assign|claim|update|complete> <elementId|taskN>   input: the command's value (JSON)
 *   listener <type|jobN> [deny] [reason=R]   completes a task listener's job, or denies the transition
 *   adhoc <alias> <elementId>...   activates elements of an ad-hoc sub-process
 *   evaluate [definition=<p.vN>]   a conditional evaluation; input: variables
 *   modify <alias> [activate=a,b] [terminate=alias1,alias2]   activations in their element's only flow scope
 *   migrate <alias> to=<p.vN> [map=a:b,c:d]
 *   delete <p.vN>                  deletes a process definition
 *   state                          what is open: element instances, jobs, timers, subscriptions, user tasks, incidents
 */
import { subscriptionPartition } from '../../src/engine/behaviors/subscription-partition.js';
import { partitionOfKey } from '../../src/engine/state/engine-state.js';
import type { ZenRecord } from '../../src/engine/records.js';
import * as builder from '../fixtures/bpmn-builder.js';
import type { DataCase } from './datadriven.js';
import type { EngineHarness } from './engine-harness.js';
import { openState } from './open-state.js';
import { parseDuration, RecordLines } from './record-lines.js';

export class ScenarioDriver {
  readonly lines: RecordLines;
  private readonly models = new Map<string, string>();
  /** Log length of each partition already shown. */
  private readonly seen: number[];

  constructor(private readonly h: EngineHarness) {
    this.lines = new RecordLines(h.now);
    this.seen = h.partitions.map(() => 0);
  }

  async run(c: DataCase): Promise<string[]> {
    const out = await this.perform(c);
    return [...out, ...this.newLines()];
  }

  private async perform(c: DataCase): Promise<string[]> {
    const h = this.h;
    const arg = (i: number, what: string): string => {
      const v = c.args[i];
      if (v === undefined) throw new Error(`line ${c.line}: '${c.command}' needs ${what}`);
      return v;
    };
    switch (c.command) {
      case 'model':
        this.models.set(arg(0, 'a process id'), buildModel(arg(0, 'a process id'), c.input));
        return [];
      case 'deploy': {
        const resources = c.args.map((id) => {
          const xml = this.models.get(id);
          if (xml === undefined) throw new Error(`line ${c.line}: no model '${id}'`);
          return { name: `${id}.bpmn`, xml };
        });
        await h.deploy(...resources);
        return [];
      }
      case 'partitions':
        throw new Error(`line ${c.line}: 'partitions' must be the first command of a file`);
      case 'create':
        h.createInstanceRaw({ bpmnProcessId: arg(0, 'a process id') }, variables(c), Number(c.options.partition ?? 1));
        return [];
      case 'activate':
        h.activateJobs(arg(0, 'a job type'), Number(c.options.max ?? 10));
        return [];
      case 'complete': {
        const jobs = c.args.includes('all') ? this.openJobs(arg(0, 'a job type or alias')) : [this.job(c, arg(0, 'a job type or alias'))];
        if (jobs.length === 0) throw new Error(`line ${c.line}: no open job '${c.args[0]}'`);
        for (const job of jobs) h.completeJob(job, variables(c));
        return [];
      }
      case 'fail':
        h.failJob(this.job(c, arg(0, 'a job type or alias')), Number(c.options.retries ?? 0), {
          errorMessage: c.options.message ?? 'failed',
          retryBackoff: c.options.backoff ? parseDuration(c.options.backoff) : 0,
        });
        return [];
      case 'throw':
        h.throwError(this.job(c, arg(0, 'a job type or alias')), c.options.code ?? '', c.options.message ?? '', variables(c));
        return [];
      case 'retries':
        h.updateJobRetries(this.keyOf(c, arg(0, 'a job alias')), Number(arg(1, 'a retry count')));
        return [];
      case 'publish': {
        const key = c.options.key ?? '';
        h.publishMessage(arg(0, 'a message name'), key, variables(c), c.options.ttl ? parseDuration(c.options.ttl) : 0, c.options.id ?? '', subscriptionPartition(key, h.partitions.length));
        return [];
      }
      case 'signal':
        h.broadcastSignal(arg(0, 'a signal name'), variables(c));
        return [];
      case 'set':
        h.setVariables(this.keyOf(c, arg(0, 'a scope alias')), variables(c), c.args.includes('local'));
        return [];
      case 'advance':
        h.advanceTime(parseDuration(arg(0, 'a duration')));
        return [];
      case 'cancel':
        h.cancelInstance(this.keyOf(c, arg(0, 'an instance alias')));
        return [];
      case 'resolve':
        h.resolveIncident(this.keyOf(c, arg(0, 'an incident alias')));
        return [];
      case 'usertask': {
        const intent = arg(0, 'assign, claim, update or complete').toUpperCase();
        const ref = arg(1, 'an element id or task alias');
        const key = /^task\d+$/.test(ref) ? this.keyOf(c, ref) : this.userTaskOf(c, ref);
        h.userTaskCommand(intent, key, c.input.trim() === '' ? {} : (JSON.parse(c.input) as Record<string, unknown>));
        return [];
      }
      case 'listener': {
        const deny = c.args.includes('deny');
        h.completeListenerJob(this.job(c, arg(0, 'a listener job type or alias')), deny ? { denied: true, deniedReason: c.options.reason ?? '' } : {});
        return [];
      }
      case 'adhoc': {
        const key = this.keyOf(c, arg(0, 'an ad-hoc sub-process alias'));
        const elements = c.args.slice(1).map((elementId) => ({ elementId, variables: {} }));
        h.process(partitionOfKey(key), { valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION', intent: 'ACTIVATE', key, value: { adHocSubProcessInstanceKey: key, activateElements: elements, cancelRemainingInstances: false, tenantId: '<default>' } });
        return [];
      }
      case 'evaluate': {
        const definition = c.options.definition ? this.keyOf(c, c.options.definition) : -1n;
        h.process(1, { valueType: 'CONDITIONAL_EVALUATION', intent: 'EVALUATE', key: -1n, value: { processDefinitionKey: definition, variables: variables(c), tenantId: '<default>', startedProcessInstances: [] } });
        return [];
      }
      case 'modify': {
        const activate = (c.options.activate ?? '').split(',').filter((id) => id !== '').map((elementId) => ({ elementId }));
        const terminate = (c.options.terminate ?? '').split(',').filter((a) => a !== '').map((a) => this.keyOf(c, a));
        h.modifyInstance(this.keyOf(c, arg(0, 'an instance alias')), activate, terminate);
        return [];
      }
      case 'migrate': {
        const mapping = (c.options.map ?? '').split(',').filter((m) => m !== '').map((m) => m.split(':') as [string, string]);
        h.migrateInstance(this.keyOf(c, arg(0, 'an instance alias')), this.keyOf(c, c.options.to ?? ''), mapping);
        return [];
      }
      case 'delete':
        h.deleteResource(this.keyOf(c, arg(0, 'a process definition alias')));
        return [];
      case 'state':
        return openState(this.h, this.lines);
      default:
        throw new Error(`line ${c.line}: unknown command '${c.command}'`);
    }
  }

  /** Lines of the records logged since the last command, partition by partition. */
  private newLines(): string[] {
    const fresh: ZenRecord[] = [];
    for (const p of this.h.partitions) {
      fresh.push(...p.log.slice(this.seen[p.id - 1]));
      this.seen[p.id - 1] = p.log.length;
    }
    return this.lines.format(fresh, this.h.partitions.length > 1);
  }

  private keyOf(c: DataCase, alias: string): bigint {
    const key = this.lines.keyOf(alias);
    if (key === undefined) throw new Error(`line ${c.line}: nothing is named '${alias}'`);
    return key;
  }

  /** A job by alias (`job2`) or the oldest open job of a type. */
  private job(c: DataCase, ref: string): bigint {
    if (/^job\d+$/.test(ref)) return this.keyOf(c, ref);
    const [first] = this.openJobs(ref);
    if (first === undefined) throw new Error(`line ${c.line}: no open job of type '${ref}'`);
    return first;
  }

  /** The oldest open Camunda user task of an element. */
  private userTaskOf(c: DataCase, elementId: string): bigint {
    const keys: bigint[] = [];
    for (const p of this.h.partitions) for (const t of p.state.userTasks.all()) if (t.value.elementId === elementId) keys.push(t.key);
    const [first] = keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (first === undefined) throw new Error(`line ${c.line}: no open user task of '${elementId}'`);
    return first;
  }

  private openJobs(type: string): bigint[] {
    const keys: bigint[] = [];
    for (const p of this.h.partitions) {
      for (const job of p.state.jobs.table.values()) {
        if (job.value.type === type && (job.state === 'ACTIVATABLE' || job.state === 'ACTIVATED')) keys.push(job.key);
      }
    }
    return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** The model of a `model` case: its input is the list of bpmn-builder parts of one process. */
export function buildModel(processId: string, parts: string): string {
  const names = Object.keys(builder);
  const build = new Function(...names, `"use strict"; return [${parts}\n];`) as (...helpers: unknown[]) => builder.Part[];
  return builder.model(processId, ...build(...names.map((name) => (builder as Record<string, unknown>)[name])));
}

function variables(c: DataCase): Record<string, unknown> {
  if (c.command === 'model' || c.input.trim() === '') return {};
  return JSON.parse(c.input) as Record<string, unknown>;
}
