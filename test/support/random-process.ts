/**
 * Random but valid process models for the randomized engine test (test/engine/random-graphs.test.ts).
 * Models are built from blocks with one way in and one way out (a task, a gateway pair with
 * branches, a sub-process holding blocks...), so every generated graph is well formed: a
 * split is always closed by a join of its kind, and a boundary event's path either merges
 * back (interrupting: only one token goes on) or ends on its own (non-interrupting).
 *
 * What drives an instance is recorded next to the model: the variables that steer each
 * gateway (and make each condition true), the error codes a job may throw and be caught for,
 * the message names in use, the elements an ad-hoc sub-process may activate, and a second
 * version of the model to migrate to.
 */
import * as b from '../fixtures/bpmn-builder.js';

/** mulberry32: small, fast, and the same sequence for a seed on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A key of `weights` drawn in proportion to its weight (weights of 0 never). */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
}

/** A variable that steers a gateway: an integer 1..max (exclusive) or a boolean (inclusive). */
export type Steering = { readonly kind: 'int'; readonly max: number } | { readonly kind: 'bool' };

export interface RandomProcess {
  readonly processId: string;
  /** The main process and the process its call activities call. */
  readonly resources: ReadonlyArray<{ readonly name: string; readonly xml: string }>;
  readonly xml: string;
  /** The model as an indented outline, for failure messages. */
  readonly outline: string;
  readonly steering: ReadonlyMap<string, Steering>;
  /** Error codes a job of a task may throw and have caught (its own boundaries and its sub-processes'). */
  readonly catchable: ReadonlyMap<string, readonly string[]>;
  readonly messageNames: readonly string[];
  readonly signalNames: readonly string[];
  /** The elements each ad-hoc sub-process may activate. */
  readonly adHoc: ReadonlyMap<string, readonly string[]>;
  /** The process has a conditional start event on `go = true` (started by a conditional evaluation). */
  readonly conditionalStart: boolean;
  /** The same model as another version (a name of its own), to migrate to. */
  readonly v2: { readonly name: string; readonly xml: string };
}

/** What a block is nested in: the error and escalation codes some enclosing boundary catches. */
interface Scope {
  readonly errors: readonly string[];
  readonly escalations: readonly string[];
  /**
   * Inside a loop's body (in the same flow scope). No inclusive join goes there: a token on a
   * path parallel to it lies upstream of it through the loop, so it would wait for that token
   * (Camunda's rule) while the token waits for it downstream (testdata/inclusive-join-in-loop.txt).
   */
  readonly inLoop?: boolean;
  /** Inside an ad-hoc sub-process: no end events, no compensation handlers (they would be activatable). */
  readonly inAdHoc?: boolean;
}

const TOP: Scope = { errors: [], escalations: [] };

type EspKind = 'timer' | 'message' | 'signal' | 'escalation' | 'error' | 'conditional';

interface Block {
  readonly parts: b.Part[];
  readonly entry: string;
  readonly exit: string;
  readonly outline: string[];
}

const LEAVES = {
  task: 6,
  user: 2.5,
  pass: 1,
  script: 0.7,
  link: 0.5,
  timer: 2,
  message: 2,
  receive: 1,
  signal: 1,
  conditional: 1.5,
  call: 1.5,
  raise: 1.5,
  escalate: 1,
  compensate: 1,
  terminate: 0.5,
} as const;
const CONTAINERS = { xor: 3, parallel: 3, inclusive: 2, complex: 1.5, sub: 3, adHoc: 1.5, eventBased: 2, loop: 1.5 } as const;

export function randomProcess(seed: number): RandomProcess {
  return new Generator(new Rng(seed)).process();
}

class Generator {
  private counter = 0;
  private readonly steering = new Map<string, Steering>();
  private readonly catchable = new Map<string, readonly string[]>();
  private readonly messageNames: string[] = [];
  private readonly signalNames: string[] = [];
  private readonly adHoc = new Map<string, readonly string[]>();
  /** The processes call activities call, one each. */
  private readonly children: Array<{ name: string; xml: string }> = [];

  constructor(private readonly rng: Rng) {}

  process(): RandomProcess {
    // An error event sub-process at process level catches what no boundary does.
    const topError = this.rng.chance(0.15);
    const body = this.sequence(3, topError ? { errors: ['E_top'], escalations: [] } : TOP, this.rng.int(2, 4));
    const parts: b.Part[] = [b.end(), this.flow(body.exit, 'end'), ...body.parts];
    const outline = [...body.outline, 'end'];
    const topEsp = topError || this.rng.chance(0.2);
    if (topEsp) {
      const esp = this.eventSubProcess(TOP, topError ? 'error' : this.rng.pick(['timer', 'message', 'signal', 'conditional'] as const));
      parts.push(...esp.parts, ...esp.roots);
      outline.push(esp.outline);
    }
    // Besides the none start event: a timer cycle and a condition may start instances too,
    // with the variables the path steers by (a timer start event maps them in as outputs, which
    // come after the process's own event sub-processes open: their correlation key or
    // condition would have no variable yet, an incident as in Zeebe, so not with those).
    const timerStart = !topEsp && this.rng.chance(0.12);
    const conditionalStart = this.rng.chance(0.12);
    const starts = ['start'];
    parts.push(b.start());
    if (timerStart) {
      const outputs = [['="t"', 'ck'] as const, ...[...this.steering].map(([name, s]) => [s.kind === 'int' ? '=1' : '=false', name] as const)];
      parts.push(b.timerStart('ts', 'cycle', 'R2/PT20M', { outputs }));
      starts.push('ts');
      outline.unshift('timer start ts R2/20m (ck "t", every gateway on its first branch, conditions false)');
    }
    if (conditionalStart) {
      parts.push(b.conditionalStart('cs', '=go = true'));
      starts.push('cs');
      outline.unshift('conditional start cs on go = true');
    }
    if (starts.length === 1) parts.push(this.flow('start', body.entry));
    else {
      parts.push(b.exclusiveGateway('sm'), ...starts.map((s) => this.flow(s, 'sm')), this.flow('sm', body.entry));
    }
    outline.unshift('start');
    const xml = b.model('p', ...parts);
    const v2 = xml.replace('<bpmn:process id="p" isExecutable="true">', '<bpmn:process id="p" name="v2" isExecutable="true">');
    return {
      processId: 'p',
      resources: [{ name: 'random.bpmn', xml }, ...this.children],
      xml,
      outline: outline.join('\n'),
      steering: this.steering,
      catchable: this.catchable,
      messageNames: this.messageNames,
      signalNames: this.signalNames,
      adHoc: this.adHoc,
      conditionalStart,
      v2: { name: 'random.bpmn', xml: v2 },
    };
  }

  private id(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  /** Flows get ids of their own: two branches may both go straight from a split to its join. */
  private flow(source: string, target: string, condition?: string, id = this.id('f')): string {
    return b.flow(source, target, { id, condition });
  }

  private sequence(depth: number, scope: Scope, length = this.rng.int(1, 3)): Block {
    const blocks: Block[] = [];
    for (let i = 0; i < length; i++) blocks.push(this.block(depth, scope));
    const parts = blocks.flatMap((x) => x.parts);
    for (let i = 0; i + 1 < blocks.length; i++) parts.push(this.flow(blocks[i]!.exit, blocks[i + 1]!.entry));
    return { parts, entry: blocks[0]!.entry, exit: blocks[blocks.length - 1]!.exit, outline: blocks.flatMap((x) => x.outline) };
  }

  private block(depth: number, scope: Scope): Block {
    const kind = depth > 0 && this.rng.chance(0.45) ? this.rng.weighted(CONTAINERS) : this.rng.weighted(LEAVES);
    switch (kind) {
      case 'task':
        return this.task(scope);
      case 'user':
        return this.userTask(scope);
      case 'script': {
        const id = this.id('sk');
        return { parts: [b.scriptTask(id, `=${this.rng.int(1, 9)} + 1`, `r_${id}`)], entry: id, exit: id, outline: [`script task ${id}`] };
      }
      case 'link': {
        const thrower = this.id('lt');
        const catcher = this.id('lc');
        const name = `L_${thrower}`;
        return { parts: [b.linkThrow(thrower, name), b.linkCatch(catcher, name)], entry: thrower, exit: catcher, outline: [`link ${thrower} → ${catcher} '${name}'`] };
      }
      case 'conditional': {
        const id = this.id('cc');
        const variable = this.condition(id);
        return { parts: [b.conditionalCatch(id, `=${variable}`)], entry: id, exit: id, outline: [`conditional catch ${id} on ${variable}`] };
      }
      case 'compensate': {
        if (scope.inAdHoc) return this.task(scope);
        const id = this.id('ct');
        return { parts: [b.compensationThrow(id)], entry: id, exit: id, outline: [`compensation throw ${id} (its scope)`] };
      }
      case 'pass': {
        const id = this.id('n');
        return { parts: [this.rng.chance(0.5) ? b.plainTask(id) : b.noneThrow(id)], entry: id, exit: id, outline: [`pass ${id}`] };
      }
      case 'timer': {
        const id = this.id('tc');
        const minutes = this.rng.int(1, 9);
        return { parts: [b.timerCatch(id, 'duration', `PT${minutes}M`)], entry: id, exit: id, outline: [`timer catch ${id} ${minutes}m`] };
      }
      case 'message':
      case 'receive': {
        const id = this.id(kind === 'message' ? 'mc' : 'rt');
        const ref = this.message(id);
        const part = kind === 'message' ? b.messageCatch(id, ref.id) : b.receiveTask(id, ref.id);
        return { parts: [part, ref.root], entry: id, exit: id, outline: [`${kind === 'message' ? 'message catch' : 'receive task'} ${id} '${ref.name}'`] };
      }
      case 'signal': {
        const id = this.id('sc');
        const name = `s_${id}`;
        this.signalNames.push(name);
        return { parts: [b.signalEvent(id, 'catch', `sig_${id}`), b.signal(`sig_${id}`, name)], entry: id, exit: id, outline: [`signal catch ${id} '${name}'`] };
      }
      case 'call':
        return this.callActivity(scope);
      case 'raise':
      case 'terminate':
        if (scope.inAdHoc) return this.task(scope);
        return this.endingBranch(kind, scope);
      case 'escalate': {
        const id = this.id('et');
        const code = scope.escalations.length > 0 && this.rng.chance(0.8) ? this.rng.pick(scope.escalations) : 'UNCAUGHT';
        return { parts: [b.escalationThrow(id, `esc_${id}`), b.escalation(`esc_${id}`, code)], entry: id, exit: id, outline: [`escalation throw ${id} ${code}`] };
      }
      case 'xor':
        return this.exclusive(depth, scope);
      case 'parallel':
        return this.parallel(depth, scope);
      case 'inclusive':
        return scope.inLoop ? this.exclusive(depth, scope) : this.inclusive(depth, scope);
      case 'complex':
        return scope.inLoop ? this.exclusive(depth, scope) : this.complex(depth, scope);
      case 'sub':
        return this.subProcess(depth, scope);
      case 'adHoc':
        return this.adHocSubProcess(depth, scope);
      case 'eventBased':
        return this.eventBased(scope);
      case 'loop':
        return this.loop(depth, scope);
    }
  }

  private message(owner: string): { id: string; name: string; root: b.RootElement } {
    const name = `m_${owner}`;
    this.messageNames.push(name);
    return { id: `msg_${owner}`, name, root: b.message(`msg_${owner}`, name, '=ck') };
  }

  private multiInstance(): b.LoopOptions | undefined {
    if (!this.rng.chance(0.2)) return undefined;
    // Sometimes the loop ends early: the instances still running are terminated.
    const completionCondition = this.rng.chance(0.3) ? '=numberOfCompletedInstances >= 1' : undefined;
    return { sequential: this.rng.chance(0.5), inputCollection: this.rng.pick(['=[1,2]', '=[1,2,3]']), inputElement: 'item', completionCondition };
  }

  /** A variable that makes a condition true: false or true at the start, set by job results or the path. */
  private condition(owner: string): string {
    const variable = `k_${owner}`;
    this.steering.set(variable, { kind: 'bool' });
    return variable;
  }

  private task(scope: Scope): Block {
    const id = this.id('t');
    const loop = this.multiInstance();
    const attached = this.boundaries(id, false, scope);
    this.catchable.set(id, [...attached.codes, ...scope.errors]);
    const outline = [`task ${id}${describeLoop(loop)}`, ...attached.outline.map((l) => `  ${l}`)];
    const parts: b.Part[] = [b.serviceTask(id, id, { loop }), ...attached.parts];
    // Compensable: a throw event of its scope (or a compensation end) starts the handler's job.
    if (!scope.inAdHoc && this.rng.chance(0.2)) {
      const handler = `${id}_undo`;
      parts.push(b.compensationBoundary(`${id}_cb`, id, handler), b.forCompensation(b.serviceTask(handler, handler)));
      outline.push(`  compensation boundary → handler ${handler}`);
    }
    return { parts, entry: id, exit: attached.exit ?? id, outline };
  }

  /** A Camunda user task: assigned, claimed, updated and completed by the path; maybe with task listeners. */
  private userTask(scope: Scope): Block {
    const id = this.id('u');
    const loop = this.rng.chance(0.15) ? this.multiInstance() : undefined;
    const attached = this.boundaries(id, false, scope);
    const listeners = (['creating', 'assigning', 'updating', 'completing'] as const)
      .filter(() => this.rng.chance(0.15))
      .map((eventType) => ({ eventType, type: `l_${id}_${eventType}` }));
    const assignee = this.rng.chance(0.3) ? 'ann' : undefined;
    const outline = [
      `user task ${id}${assignee ? ' assigned to ann' : ''}${listeners.length > 0 ? ` listeners ${listeners.map((l) => l.eventType).join(',')}` : ''}${describeLoop(loop)}`,
      ...attached.outline.map((l) => `  ${l}`),
    ];
    return { parts: [b.camundaUserTask(id, { assignee, listeners, loop }), ...attached.parts], entry: id, exit: attached.exit ?? id, outline };
  }

  /**
   * A call activity with a process of its own to call: one task whose job may throw an error
   * the call activity's boundary or an enclosing scope catches (uncaught in the child).
   */
  private callActivity(scope: Scope): Block {
    const id = this.id('ca');
    const attached = this.boundaries(id, false, scope);
    const child = `child_${id}`;
    const task = `ct_${id}`;
    this.catchable.set(task, [...attached.codes, ...scope.errors]);
    const xml = b.model(child, b.start('cs'), b.serviceTask(task, task), b.end('ce'), b.flow('cs', task), b.flow(task, 'ce'));
    this.children.push({ name: `${child}.bpmn`, xml });
    return { parts: [b.callActivity(id, child), ...attached.parts], entry: id, exit: attached.exit ?? id, outline: [`call activity ${id} → ${child} (task ${task})`, ...attached.outline.map((l) => `  ${l}`)] };
  }

  /**
   * Boundary events on an activity: interrupting ones merge back after it (an exclusive
   * gateway passes the one token that goes on), non-interrupting ones end on their own.
   */
  private boundaries(activity: string, container = false, scope: Scope = TOP): { parts: b.Part[]; exit?: string; codes: string[]; escalations: string[]; outline: string[] } {
    const parts: b.Part[] = [];
    const merging: string[] = [];
    const codes: string[] = [];
    const escalations: string[] = [];
    const outline: string[] = [];
    // Inside an ad-hoc sub-process (no end events) a non-interrupting path just stops.
    const ownEnd = (from: string) => {
      if (scope.inAdHoc) return;
      const e = this.id('e');
      parts.push(b.end(e), this.flow(from, e));
    };
    if (this.rng.chance(0.15)) {
      const id = this.id('bt');
      const minutes = this.rng.int(1, 9);
      parts.push(b.timerBoundary(id, activity, 'duration', `PT${minutes}M`));
      merging.push(id);
      outline.push(`timer boundary ${id} ${minutes}m`);
    }
    if (this.rng.chance(0.1)) {
      const id = this.id('bc');
      const minutes = this.rng.int(2, 7);
      // A cron cycle repeats for as long as the activity runs.
      const cycle = this.rng.chance(0.4) ? `0 */${minutes} * * * *` : `R2/PT${minutes}M`;
      parts.push(b.timerBoundary(id, activity, 'cycle', cycle, { interrupting: false }));
      ownEnd(id);
      outline.push(`non-interrupting timer boundary ${id} ${cycle}`);
    }
    if (this.rng.chance(0.08)) {
      const id = this.id('bk');
      const variable = this.condition(id);
      // In a loop an interrupting one whose condition holds would skip the round's only wait
      // (the task it is on) for ever: a loop without a wait state, by design.
      const interrupting = this.rng.chance(0.5) && !scope.inLoop;
      parts.push(b.conditionalBoundary(id, activity, `=${variable}`, { interrupting }));
      if (interrupting) merging.push(id);
      else ownEnd(id);
      outline.push(`${interrupting ? '' : 'non-interrupting '}conditional boundary ${id} on ${variable}`);
    }
    if (this.rng.chance(0.15)) {
      const id = this.id('be');
      const code = `E_${id}`;
      parts.push(b.error(`err_${id}`, code), b.errorBoundary(id, activity, `err_${id}`));
      merging.push(id);
      codes.push(code);
      outline.push(`error boundary ${id} ${code}`);
    }
    if (this.rng.chance(0.08)) {
      const id = this.id('bg');
      const name = `s_${id}`;
      const interrupting = this.rng.chance(0.5);
      this.signalNames.push(name);
      parts.push(b.signal(`sig_${id}`, name), b.signalBoundary(id, activity, `sig_${id}`, { interrupting }));
      if (interrupting) merging.push(id);
      else ownEnd(id);
      outline.push(`${interrupting ? '' : 'non-interrupting '}signal boundary ${id} '${name}'`);
    }
    if (this.rng.chance(0.1)) {
      const id = this.id('bm');
      const ref = this.message(id);
      const interrupting = this.rng.chance(0.6);
      parts.push(ref.root, b.messageBoundary(id, activity, ref.id, { interrupting }));
      if (interrupting) merging.push(id);
      else ownEnd(id);
      outline.push(`${interrupting ? '' : 'non-interrupting '}message boundary ${id} '${ref.name}'`);
    }
    // Only something inside a container can throw an escalation for its boundary.
    if (container && this.rng.chance(0.2)) {
      const id = this.id('bs');
      const code = `ESC_${id}`;
      const interrupting = this.rng.chance(0.5);
      parts.push(b.escalation(`esc_${id}`, code), b.escalationBoundary(id, activity, `esc_${id}`, { interrupting }));
      if (interrupting) merging.push(id);
      else ownEnd(id);
      escalations.push(code);
      outline.push(`${interrupting ? '' : 'non-interrupting '}escalation boundary ${id} ${code}`);
    }
    if (merging.length === 0) return { parts, codes, escalations, outline };
    const merge = this.id('x');
    parts.push(b.exclusiveGateway(merge), this.flow(activity, merge), ...merging.map((from) => this.flow(from, merge)));
    return { parts, exit: merge, codes, escalations, outline };
  }

  /**
   * An exclusive split whose first branch ends the path with an error end event (caught by an
   * enclosing boundary) or a terminate end event, and whose default goes on; without a
   * boundary to catch an error, a plain task instead.
   */
  private endingBranch(kind: 'raise' | 'terminate', scope: Scope): Block {
    if (kind === 'raise' && scope.errors.length === 0) return this.task(scope);
    const split = this.id('g');
    const join = this.id('j');
    const stop = this.id(kind === 'raise' ? 'ee' : 'te');
    const variable = `x_${split}`;
    this.steering.set(variable, { kind: 'int', max: 2 });
    const goOn = this.id('f');
    const parts: b.Part[] = [b.exclusiveGateway(split, goOn), b.exclusiveGateway(join), this.flow(split, stop, `=${variable} = 1`), this.flow(split, join, undefined, goOn)];
    let what: string;
    if (kind === 'raise') {
      const code = this.rng.pick(scope.errors);
      parts.push(b.errorEnd(stop, `err_${stop}`), b.error(`err_${stop}`, code));
      what = `error end ${stop} ${code}`;
    } else {
      parts.push(b.terminateEnd(stop));
      what = `terminate end ${stop}`;
    }
    return { parts, entry: split, exit: join, outline: [`exclusive ${split} on ${variable}: 1 → ${what}, else on`] };
  }

  private branches(depth: number, scope: Scope): Array<Block | null> {
    const count = this.rng.int(2, 3);
    return Array.from({ length: count }, () => (this.rng.chance(0.15) ? null : this.sequence(depth - 1, scope)));
  }

  /** Split and join with `count` branches; `condition(i)` labels branch i's flow (undefined: none). */
  private gatewayPair(
    split: string,
    join: string,
    splitXml: (defaultFlow: string) => string,
    joinXml: string,
    branches: Array<Block | null>,
    condition: (i: number) => string | undefined,
    title: string,
  ): Block {
    const parts: b.Part[] = [];
    const outline = [title];
    const flowIds = branches.map(() => this.id('f'));
    branches.forEach((branch, i) => {
      const cond = condition(i);
      outline.push(`  branch ${i + 1}${cond ? ` if ${cond}` : ''}`);
      if (branch === null) {
        parts.push(this.flow(split, join, cond, flowIds[i]));
        outline.push('    (straight to the join)');
      } else {
        parts.push(...branch.parts, this.flow(split, branch.entry, cond, flowIds[i]), this.flow(branch.exit, join));
        outline.push(...branch.outline.map((l) => `    ${l}`));
      }
    });
    parts.unshift(splitXml(flowIds[flowIds.length - 1]!), joinXml);
    outline.push(`join ${join}`);
    return { parts, entry: split, exit: join, outline };
  }

  private exclusive(depth: number, scope: Scope): Block {
    const split = this.id('g');
    const join = this.id('j');
    const branches = this.branches(depth, scope);
    const variable = `x_${split}`;
    this.steering.set(variable, { kind: 'int', max: branches.length });
    const last = branches.length - 1;
    return this.gatewayPair(split, join, (d) => b.exclusiveGateway(split, d), b.exclusiveGateway(join), branches, (i) => (i < last ? `=${variable} = ${i + 1}` : undefined), `exclusive ${split} on ${variable} (last branch default)`);
  }

  private inclusive(depth: number, scope: Scope): Block {
    const split = this.id('g');
    const join = this.id('j');
    const branches = this.branches(depth, scope);
    const last = branches.length - 1;
    for (let i = 0; i < last; i++) this.steering.set(`y_${split}_${i + 1}`, { kind: 'bool' });
    return this.gatewayPair(split, join, (d) => b.inclusiveGateway(split, d), b.inclusiveGateway(join), branches, (i) => (i < last ? `=y_${split}_${i + 1}` : undefined), `inclusive ${split} (last branch default)`);
  }

  private parallel(depth: number, scope: Scope): Block {
    const split = this.id('g');
    const join = this.id('j');
    return this.gatewayPair(split, join, () => b.parallelGateway(split), b.parallelGateway(join), this.branches(depth, scope), () => undefined, `parallel ${split}`);
  }

  /**
   * A complex gateway pair: the split forks like an inclusive one (or, when the join waits for
   * all, a parallel one); the join fires on its first token (a discriminator) or on all of them.
   */
  private complex(depth: number, scope: Scope): Block {
    const split = this.id('g');
    const join = this.id('j');
    const branches = this.branches(depth, scope);
    const last = branches.length - 1;
    const all = this.rng.chance(0.4);
    const activation = all ? `=activationCount >= ${branches.length}` : '=activationCount >= 1';
    if (all) {
      return this.gatewayPair(split, join, () => b.parallelGateway(split), b.complexGateway(join, { activationCondition: activation }), branches, () => undefined, `parallel ${split}, complex join ${join} when ${activation.slice(1)}`);
    }
    for (let i = 0; i < last; i++) this.steering.set(`y_${split}_${i + 1}`, { kind: 'bool' });
    return this.gatewayPair(
      split,
      join,
      (d) => b.complexGateway(split, { defaultFlow: d }),
      b.complexGateway(join, { activationCondition: activation }),
      branches,
      (i) => (i < last ? `=y_${split}_${i + 1}` : undefined),
      `complex ${split} (last branch default), join ${join} when ${activation.slice(1)}`,
    );
  }

  /**
   * An ad-hoc sub-process of two or three short paths (each ends in a pass-through task, so no
   * catch event is left without an outgoing flow): some activated on entry, the others by the
   * path's ACTIVATE instructions; maybe a completion condition and an output collection.
   */
  private adHocSubProcess(depth: number, scope: Scope): Block {
    const id = this.id('ah');
    const loop = this.rng.chance(0.1) ? this.multiInstance() : undefined;
    const attached = this.boundaries(id, true, scope);
    const inner: Scope = { errors: [...attached.codes, ...scope.errors], escalations: [...attached.escalations, ...scope.escalations], inAdHoc: true };
    const parts: string[] = [];
    const roots: b.Part[] = [];
    const entries: string[] = [];
    const outline: string[] = [];
    for (let i = 0, n = this.rng.int(2, 3); i < n; i++) {
      const item = this.sequence(0, inner, this.rng.int(1, 2));
      const tail = this.id('n');
      for (const part of [...item.parts, b.plainTask(tail), this.flow(item.exit, tail)]) (typeof part === 'string' ? parts : roots).push(part as never);
      entries.push(item.entry);
      outline.push(`  item ${item.entry}:`, ...item.outline.map((l) => `    ${l}`));
    }
    this.adHoc.set(id, entries);
    const listed = entries.filter(() => this.rng.chance(0.5));
    const options: { -readonly [K in keyof b.AdHocOptions]: b.AdHocOptions[K] } = { loop };
    if (listed.length > 0) options.activeElements = `=[${listed.map((e) => `"${e}"`).join(', ')}]`;
    if (this.rng.chance(0.35)) {
      options.completionCondition = `=${this.condition(id)}`;
      options.cancelRemainingInstances = this.rng.chance(0.5);
    }
    if (this.rng.chance(0.3)) {
      options.outputCollection = `out_${id}`;
      options.outputElement = '=ck';
    }
    const title = `ad-hoc sub-process ${id}${describeLoop(loop)} active [${listed.join(', ')}]${options.completionCondition ? ` until ${options.completionCondition.slice(1)}${options.cancelRemainingInstances ? ' (cancel the rest)' : ''}` : ''}${options.outputCollection ? ` collecting ${options.outputCollection}` : ''}`;
    return { parts: [b.adHocSubProcess(id, parts, options), ...roots, ...attached.parts], entry: id, exit: attached.exit ?? id, outline: [title, ...attached.outline.map((l) => `  ${l}`), ...outline] };
  }

  private subProcess(depth: number, scope: Scope): Block {
    const id = this.id('s');
    const loop = this.multiInstance();
    const attached = this.boundaries(id, true, scope);
    // An event sub-process inside, decided first: an escalation one catches what the inside throws.
    const espKind: EspKind | null = this.rng.chance(0.3) ? this.rng.pick(['timer', 'message', 'signal', 'escalation', 'conditional'] as const) : null;
    const espCode = `ESC_${this.id('ec')}`;
    const escalations = [...(espKind === 'escalation' ? [espCode] : []), ...attached.escalations, ...scope.escalations];
    const inner = this.sequence(depth - 1, { errors: [...attached.codes, ...scope.errors], escalations });
    const s = this.id('ss');
    const e = this.id('se');
    // Its end may be a compensation end event: the sub-process's compensable activities are
    // compensated before it completes. (Not on a branch: a path that ends there would leave a
    // join waiting for its token for ever.)
    const compensationEnd = this.rng.chance(0.25);
    const parts: string[] = [b.start(s), compensationEnd ? b.compensationThrow(e, { end: true }) : b.end(e), this.flow(s, inner.entry), this.flow(inner.exit, e)];
    const roots: b.Part[] = [];
    const outline = [`sub-process ${id}${describeLoop(loop)}${compensationEnd ? ', ends with a compensation end event' : ''}`, ...attached.outline.map((l) => `  ${l}`)];
    for (const part of inner.parts) (typeof part === 'string' ? parts : roots).push(part as never);
    if (espKind) {
      const esp = this.eventSubProcess({ errors: [...attached.codes, ...scope.errors], escalations: [] }, espKind, espCode);
      parts.push(...esp.parts);
      roots.push(...esp.roots);
      outline.push(`  ${esp.outline}`);
    }
    outline.push(...inner.outline.map((l) => `  ${l}`));
    return { parts: [b.subProcess(id, parts, undefined, loop), ...roots, ...attached.parts], entry: id, exit: attached.exit ?? id, outline };
  }

  /**
   * An event sub-process running one task, started by a timer (a duration, interrupting, or a
   * cycle, not), a message or a signal (either), an escalation of `code` thrown in its scope
   * (either), or an error `E_top` (interrupting).
   */
  private eventSubProcess(scope: Scope, kind: EspKind, code = 'E_top'): { parts: string[]; roots: b.Part[]; outline: string } {
    const esp = this.id('es');
    const start = this.id('ess');
    const task = this.id('t');
    const end = this.id('ese');
    this.catchable.set(task, scope.errors);
    const roots: b.Part[] = [];
    let interrupting = kind === 'error' || this.rng.chance(0.5);
    let definition: string;
    let trigger: string;
    if (kind === 'timer') {
      const minutes = this.rng.int(2, 9);
      const cycle = this.rng.chance(0.3) ? `0 */${minutes} * * * *` : `R2/PT${minutes}M`;
      definition = interrupting ? b.timerDefinitionXml('duration', `PT${minutes}M`) : b.timerDefinitionXml('cycle', cycle);
      trigger = interrupting ? `timer ${minutes}m` : `timer ${cycle}`;
    } else if (kind === 'conditional') {
      const variable = this.condition(esp);
      definition = b.conditionalDefinition(`=${variable}`);
      trigger = `condition ${variable}`;
    } else if (kind === 'message') {
      const ref = this.message(esp);
      roots.push(ref.root);
      definition = `<bpmn:messageEventDefinition messageRef="${ref.id}"/>`;
      trigger = `message '${ref.name}'`;
    } else if (kind === 'signal') {
      const name = `s_${esp}`;
      this.signalNames.push(name);
      roots.push(b.signal(`sig_${esp}`, name));
      definition = `<bpmn:signalEventDefinition signalRef="sig_${esp}"/>`;
      trigger = `signal '${name}'`;
    } else if (kind === 'escalation') {
      roots.push(b.escalation(`esc_${esp}`, code));
      definition = `<bpmn:escalationEventDefinition escalationRef="esc_${esp}"/>`;
      trigger = `escalation ${code}`;
    } else {
      interrupting = true;
      roots.push(b.error(`err_${esp}`, code));
      definition = `<bpmn:errorEventDefinition errorRef="err_${esp}"/>`;
      trigger = `error ${code}`;
    }
    const outline = `event sub-process ${esp}: ${trigger} (${interrupting ? 'interrupting' : 'non-interrupting'}) → task ${task}`;
    const parts = [b.eventSubProcess(esp, start, definition, [b.serviceTask(task, task), b.end(end), this.flow(start, task), this.flow(task, end)], interrupting)];
    return { parts, roots, outline };
  }

  /** A loop: a task (a wait each round, so a round never spins within one command), then back while `x = 1`. */
  private loop(depth: number, scope: Scope): Block {
    const merge = this.id('lm');
    const split = this.id('ls');
    const exit = this.id('lx');
    const variable = `x_${split}`;
    this.steering.set(variable, { kind: 'int', max: 2 });
    const body = { ...scope, inLoop: true };
    const first = this.task(body);
    const rest = this.rng.chance(0.4) ? this.sequence(depth - 1, body, 1) : null;
    const onward = this.id('f');
    const parts: b.Part[] = [b.exclusiveGateway(merge), b.exclusiveGateway(split, onward), b.exclusiveGateway(exit), ...first.parts, this.flow(merge, first.entry)];
    if (rest) parts.push(...rest.parts, this.flow(first.exit, rest.entry), this.flow(rest.exit, split));
    else parts.push(this.flow(first.exit, split));
    parts.push(this.flow(split, merge, `=${variable} = 1`), this.flow(split, exit, undefined, onward));
    const outline = [`loop ${merge}..${split} while ${variable} = 1`, ...[...first.outline, ...(rest?.outline ?? [])].map((l) => `  ${l}`)];
    return { parts, entry: merge, exit, outline };
  }

  private eventBased(scope: Scope): Block {
    const gateway = this.id('eb');
    const timer = this.id('tc');
    const catcher = this.id('mc');
    const merge = this.id('x');
    const ref = this.message(catcher);
    const minutes = this.rng.int(1, 9);
    const parts: b.Part[] = [b.eventBasedGateway(gateway), b.timerCatch(timer, 'duration', `PT${minutes}M`), b.messageCatch(catcher, ref.id), ref.root, b.exclusiveGateway(merge)];
    const outline = [`event-based ${gateway}: timer ${timer} ${minutes}m | message ${catcher} '${ref.name}'`];
    parts.push(this.flow(gateway, timer), this.flow(gateway, catcher));
    for (const event of [timer, catcher]) {
      if (this.rng.chance(0.5)) {
        const after = this.task(scope);
        parts.push(...after.parts, this.flow(event, after.entry), this.flow(after.exit, merge));
        outline.push(...after.outline.map((l) => `  after ${event}: ${l}`));
      } else {
        parts.push(this.flow(event, merge));
      }
    }
    return { parts, entry: gateway, exit: merge, outline };
  }
}

function describeLoop(loop: b.LoopOptions | undefined): string {
  if (!loop) return '';
  const until = loop.completionCondition ? `, until ${loop.completionCondition.slice(1)}` : '';
  return ` (multi-instance ${loop.sequential ? 'sequential' : 'parallel'} over ${loop.inputCollection.slice(1)}${until})`;
}
