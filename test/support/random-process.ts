/**
 * Random but valid process models for the randomized engine test (test/engine/random-graphs.test.ts).
 * Models are built from blocks with one way in and one way out (a task, a gateway pair with
 * branches, a sub-process holding blocks...), so every generated graph is well formed: a
 * split is always closed by a join of its kind, and a boundary event's path either merges
 * back (interrupting: only one token goes on) or ends on its own (non-interrupting).
 *
 * What drives an instance is recorded next to the model: the variables that steer each
 * gateway, the error codes a job may throw and be caught for, the message names in use.
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
}

const TOP: Scope = { errors: [], escalations: [] };

type EspKind = 'timer' | 'message' | 'signal' | 'escalation' | 'error';

/** The process call activities call: one task, so it waits like any task does. */
const CHILD = b.model('child', b.start('cs'), b.serviceTask('ct', 'ct'), b.end('ce'), b.flow('cs', 'ct'), b.flow('ct', 'ce'));

interface Block {
  readonly parts: b.Part[];
  readonly entry: string;
  readonly exit: string;
  readonly outline: string[];
}

const LEAVES = { task: 6, pass: 1, timer: 2, message: 2, receive: 1, signal: 1, call: 1, raise: 1.5, escalate: 1, terminate: 0.5 } as const;
const CONTAINERS = { xor: 3, parallel: 3, inclusive: 2, sub: 3, eventBased: 2, loop: 1.5 } as const;

export function randomProcess(seed: number): RandomProcess {
  return new Generator(new Rng(seed)).process();
}

class Generator {
  private counter = 0;
  private readonly steering = new Map<string, Steering>();
  private readonly catchable = new Map<string, readonly string[]>();
  private readonly messageNames: string[] = [];
  private readonly signalNames: string[] = [];

  constructor(private readonly rng: Rng) {}

  process(): RandomProcess {
    // An error event sub-process at process level catches what no boundary does.
    const topError = this.rng.chance(0.15);
    const body = this.sequence(3, topError ? { errors: ['E_top'], escalations: [] } : TOP, this.rng.int(2, 4));
    const parts: b.Part[] = [b.start(), ...body.parts, b.end(), this.flow('start', body.entry), this.flow(body.exit, 'end')];
    const outline = ['start', ...body.outline, 'end'];
    if (topError || this.rng.chance(0.2)) {
      const esp = this.eventSubProcess(TOP, topError ? 'error' : this.rng.pick(['timer', 'message', 'signal'] as const));
      parts.push(...esp.parts, ...esp.roots);
      outline.push(esp.outline);
    }
    const xml = b.model('p', ...parts);
    return {
      processId: 'p',
      resources: [{ name: 'random.bpmn', xml }, { name: 'child.bpmn', xml: CHILD }],
      xml,
      outline: outline.join('\n'),
      steering: this.steering,
      catchable: this.catchable,
      messageNames: this.messageNames,
      signalNames: this.signalNames,
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
      case 'call': {
        const id = this.id('ca');
        const attached = this.boundaries(id);
        // The child's task may throw what every call activity catches (its own boundaries, or those around it).
        const codes = [...attached.codes, ...scope.errors];
        const before = this.catchable.get('ct');
        this.catchable.set('ct', before === undefined ? codes : before.filter((code) => codes.includes(code)));
        return { parts: [b.callActivity(id, 'child'), ...attached.parts], entry: id, exit: attached.exit ?? id, outline: [`call activity ${id} → child (task ct)`, ...attached.outline.map((l) => `  ${l}`)] };
      }
      case 'raise':
      case 'terminate':
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
      case 'sub':
        return this.subProcess(depth, scope);
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

  private task(scope: Scope): Block {
    const id = this.id('t');
    const loop = this.multiInstance();
    const attached = this.boundaries(id);
    this.catchable.set(id, [...attached.codes, ...scope.errors]);
    const outline = [`task ${id}${describeLoop(loop)}`, ...attached.outline.map((l) => `  ${l}`)];
    return { parts: [b.serviceTask(id, id, { loop }), ...attached.parts], entry: id, exit: attached.exit ?? id, outline };
  }

  /**
   * Boundary events on an activity: interrupting ones merge back after it (an exclusive
   * gateway passes the one token that goes on), non-interrupting ones end on their own.
   */
  private boundaries(activity: string, container = false): { parts: b.Part[]; exit?: string; codes: string[]; escalations: string[]; outline: string[] } {
    const parts: b.Part[] = [];
    const merging: string[] = [];
    const codes: string[] = [];
    const escalations: string[] = [];
    const outline: string[] = [];
    const ownEnd = (from: string) => {
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
      const minutes = this.rng.int(1, 5);
      parts.push(b.timerBoundary(id, activity, 'cycle', `R2/PT${minutes}M`, { interrupting: false }));
      ownEnd(id);
      outline.push(`non-interrupting timer boundary ${id} R2/${minutes}m`);
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

  private subProcess(depth: number, scope: Scope): Block {
    const id = this.id('s');
    const loop = this.multiInstance();
    const attached = this.boundaries(id, true);
    // An event sub-process inside, decided first: an escalation one catches what the inside throws.
    const espKind: EspKind | null = this.rng.chance(0.3) ? this.rng.pick(['timer', 'message', 'signal', 'escalation'] as const) : null;
    const espCode = `ESC_${this.id('ec')}`;
    const escalations = [...(espKind === 'escalation' ? [espCode] : []), ...attached.escalations, ...scope.escalations];
    const inner = this.sequence(depth - 1, { errors: [...attached.codes, ...scope.errors], escalations });
    const s = this.id('ss');
    const e = this.id('se');
    const parts: string[] = [b.start(s), b.end(e), this.flow(s, inner.entry), this.flow(inner.exit, e)];
    const roots: b.Part[] = [];
    const outline = [`sub-process ${id}${describeLoop(loop)}`, ...attached.outline.map((l) => `  ${l}`)];
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
      const minutes = this.rng.int(1, 9);
      definition = interrupting ? b.timerDefinitionXml('duration', `PT${minutes}M`) : b.timerDefinitionXml('cycle', `R2/PT${minutes}M`);
      trigger = interrupting ? `timer ${minutes}m` : `timer R2/${minutes}m`;
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
