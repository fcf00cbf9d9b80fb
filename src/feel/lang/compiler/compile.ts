/**
 * AST -> closures. Each node compiles once into a function of the scope; evaluation only runs
 * closures (no tree walking, no re-parsing). Errors inside an operation give null plus a warning
 * on the run, so the surrounding expression still evaluates (`if 1 + "a" = null then ...`).
 */
import type { ArithOp, CompareOp, Iteration, Node, TypeNode, UnaryTest } from '../syntax/ast.js';
import { FeelContext } from '../values/context.js';
import { DaysTimeDuration, YearsMonthsDuration, parseDuration } from '../values/duration.js';
import { FeelFunction, type Parameter } from '../values/function.js';
import { FeelDecimal, isNumber, type FeelNumber } from '../values/number.js';
import { FeelRange } from '../values/range.js';
import { FeelDate, parseDate, parseDateTime, parseTime } from '../values/temporal.js';
import { namedType, isInstance, type FeelType } from '../values/types.js';
import type { Value } from '../values/value.js';
import { arithmetic } from '../semantics/arithmetic.js';
import { compareWith } from '../semantics/compare.js';
import { feelEquals } from '../semantics/equality.js';
import { propertyOf } from '../semantics/properties.js';
import { rangeIncludes } from '../semantics/ranges.js';
import type { Profile } from '../profile.js';
import { quoted as displayValue } from '../values/text.js';
import { invoke } from './invoke.js';
import { Scope } from './scope.js';

export type Code = (scope: Scope) => Value;
export type TestCode = (scope: Scope, input: Value) => boolean | null;

export class FeelCompileError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export function typeFromNode(node: TypeNode): FeelType {
  switch (node.kind) {
    case 'named': {
      const type = namedType(node.name);
      if (type === undefined) throw new FeelCompileError(`Unknown type '${node.name}'`, 0);
      return type;
    }
    case 'list':
    case 'range':
      return { kind: node.kind, element: typeFromNode(node.element) };
    case 'context':
      return { kind: 'context', entries: node.entries.map(([k, t]) => [k, typeFromNode(t)] as const) };
    case 'function':
      return { kind: 'function', params: node.params.map(typeFromNode), result: typeFromNode(node.result) };
  }
}

function atLiteral(text: string): Value {
  if (/^-?P/.test(text)) return parseDuration(text);
  if (text.includes('T')) return parseDateTime(text);
  if (/^\d\d:/.test(text)) return parseTime(text);
  return parseDate(text);
}

function truth(value: Value): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function usesInput(node: Node): boolean {
  if (node.kind === 'input') return true;
  for (const value of Object.values(node)) {
    if (value && typeof value === 'object') {
      if ('kind' in value && 'from' in value && usesInput(value as Node)) return true;
      if (Array.isArray(value) && value.some((v) => (v && typeof v === 'object' && 'kind' in v && 'from' in v ? usesInput(v as Node) : Array.isArray(v) && v.some((w) => w && typeof w === 'object' && 'from' in w && usesInput(w as Node))))) return true;
    }
  }
  return false;
}

function negateValue(v: Value): Value | undefined {
  if (v === null) return null;
  if (isNumber(v)) return v.neg();
  if (v instanceof DaysTimeDuration) return new DaysTimeDuration(v.seconds.neg());
  if (v instanceof YearsMonthsDuration) return new YearsMonthsDuration(-v.months);
  return undefined;
}

const INPUT = '?';

export class Compiler {
  constructor(private readonly profile: Profile) {}

  compile(node: Node): Code {
    switch (node.kind) {
      case 'literal': {
        const value: Value = node.literal === 'number' ? new FeelDecimal(node.value as string) : (node.value as Value);
        return () => value;
      }
      case 'at': {
        const value = atLiteral(node.text);
        if (value === null) return (s) => s.run.warn('INVALID_LITERAL', `Invalid temporal literal @"${node.text}"`);
        return () => value;
      }
      case 'input':
        return (s) => s.lookup(INPUT) ?? null;
      case 'name':
        return this.name(node.name);
      case 'path':
        return this.path(this.compile(node.target), node.name);
      case 'filter':
        return this.filter(this.compile(node.target), this.compile(node.filter));
      case 'call':
        return this.call(node);
      case 'negate': {
        const operand = this.compile(node.operand);
        return (s) => {
          const v = operand(s);
          const negated = negateValue(v);
          return negated === undefined ? s.run.warn('INVALID_TYPE', `Can't negate '${String(v)}'`) : negated;
        };
      }
      case 'arith':
        return this.arith(node.op, this.compile(node.left), this.compile(node.right));
      case 'compare':
        return this.compare(node.op, this.compile(node.left), this.compile(node.right));
      case 'between': {
        const [value, low, high] = [this.compile(node.value), this.compile(node.low), this.compile(node.high)];
        return (s) => {
          const v = value(s);
          return and(compareWith('>=', v, low(s)), compareWith('<=', v, high(s)));
        };
      }
      case 'in': {
        const value = this.compile(node.value);
        const tests = node.tests.map((t) => this.unaryTest(t));
        return (s) => {
          const v = value(s);
          let result: boolean | null = false;
          for (const test of tests) {
            const r = test(s, v);
            if (r === true) return true;
            if (r === null) result = null;
          }
          return result;
        };
      }
      case 'and': {
        const [left, right] = [this.compile(node.left), this.compile(node.right)];
        return (s) => {
          const l = truth(left(s));
          if (l === false) return false;
          return and(l, truth(right(s)));
        };
      }
      case 'or': {
        const [left, right] = [this.compile(node.left), this.compile(node.right)];
        return (s) => {
          const l = truth(left(s));
          if (l === true) return true;
          const r = truth(right(s));
          if (r === true) return true;
          return l === false && r === false ? false : null;
        };
      }
      case 'if': {
        const [condition, then, otherwise] = [this.compile(node.condition), this.compile(node.then), this.compile(node.else)];
        return (s) => (condition(s) === true ? then(s) : otherwise(s));
      }
      case 'for':
        return this.forLoop(node.iterations, this.compile(node.body));
      case 'some':
      case 'every':
        return this.quantified(node.kind, node.iterations, this.compile(node.condition));
      case 'list': {
        const items = node.items.map((i) => this.compile(i));
        return (s) => items.map((item) => item(s));
      }
      case 'context':
        return this.context(node.entries);
      case 'function':
        return this.functionDefinition(node);
      case 'instanceOf': {
        const value = this.compile(node.value);
        let type: FeelType;
        try {
          type = typeFromNode(node.type);
        } catch (error) {
          const message = (error as Error).message;
          return (s) => s.run.warn('UNKNOWN_TYPE', message);
        }
        return (s) => isInstance(value(s), type);
      }
      case 'interval': {
        const start = node.start === null ? null : this.compile(node.start);
        const end = node.end === null ? null : this.compile(node.end);
        const { startIncluded, endIncluded } = node;
        return (s) => makeRange(s, start === null ? null : start(s), end === null ? null : end(s), startIncluded, endIncluded);
      }
      case 'unaryRange': {
        const value = this.compile(node.value);
        const op = node.op;
        return (s) => {
          const v = value(s);
          switch (op) {
            case '<':
            case '<=':
              return makeRange(s, null, v, false, op === '<=', 'start');
            case '>':
            case '>=':
              return makeRange(s, v, null, op === '>=', false, 'end');
            case '=':
              return makeRange(s, v, v, true, true, undefined, true);
            case '!=':
              return s.run.warn('INVALID_RANGE', `'!= ${String(v)}' is not a range`);
          }
        };
      }
    }
  }

  private name(name: string): Code {
    const builtin = this.profile.builtins.get(name);
    return (s) => {
      const value = s.lookup(name);
      if (value !== undefined) return value;
      if (builtin !== undefined) return builtin;
      return s.run.warn('NO_VARIABLE_FOUND', `No variable found with name '${name}'`);
    };
  }

  private path(target: Code, name: string): Code {
    const get = (s: Scope, v: Value): Value => {
      if (v === null) return null;
      if (v instanceof FeelContext) {
        const entry = v.get(name);
        return entry === undefined ? s.run.warn('NO_CONTEXT_ENTRY_FOUND', `No context entry found with key '${name}'`) : entry;
      }
      if (Array.isArray(v)) return v.map((item: Value) => get(s, item));
      const property = propertyOf(v, name);
      return property === undefined ? s.run.warn('NO_PROPERTY_FOUND', `No property found with name '${name}' of value '${String(v)}'`) : property;
    };
    return (s) => get(s, target(s));
  }

  private filter(target: Code, filter: Code): Code {
    return (s) => {
      const t = target(s);
      if (t === null) return null;
      const list: readonly Value[] = Array.isArray(t) ? t : [t];
      const result: Value[] = [];
      for (let i = 0; i < list.length; i++) {
        const item = list[i]!;
        const frame = new Map<string, Value>([['item', item]]);
        if (item instanceof FeelContext) for (const [k, v] of item.entries) frame.set(k, v);
        const r = filter(s.child(frame));
        if (i === 0 && isNumber(r)) return index(list, r);
        if (r === true) result.push(item);
      }
      if (list.length === 0) {
        // An index into an empty list: evaluate once to tell an index from a condition.
        const probe = filter(s.child(new Map([['item', null]])));
        if (isNumber(probe)) return null;
      }
      return result;
    };
  }

  private call(node: Extract<Node, { kind: 'call' }>): Code {
    const calleeName = node.callee.kind === 'name' ? node.callee.name : null;
    const callee = calleeName === null ? this.compile(node.callee) : null;
    const builtin = calleeName === null ? undefined : this.profile.builtins.get(calleeName);
    const label = calleeName ?? 'function';
    const resolve = (s: Scope): Value => {
      if (callee !== null) return callee(s);
      const value = s.lookup(calleeName!);
      if (value instanceof FeelFunction) return value;
      return builtin ?? value ?? null;
    };
    if (node.named !== null) {
      const names = node.named.map(([n]) => n);
      const values = node.named.map(([, v]) => this.compile(v));
      return (s) => {
        const fn = resolve(s);
        const args = new Map<string, Value>();
        for (let i = 0; i < names.length; i++) args.set(names[i]!, values[i]!(s));
        return invoke(fn, label, null, args, s.run);
      };
    }
    const args = node.positional!.map((a) => this.compile(a));
    return (s) => invoke(resolve(s), label, args.map((a) => a(s)), null, s.run);
  }

  private arith(op: ArithOp, left: Code, right: Code): Code {
    return (s) => {
      const l = left(s);
      const r = right(s);
      const result = arithmetic(op, l, r);
      return result === undefined ? s.run.warn('INVALID_TYPE', `Can't apply '${op}' to '${String(l)}' and '${String(r)}'`) : result;
    };
  }

  private compare(op: CompareOp, left: Code, right: Code): Code {
    if (op === '=') return (s) => feelEquals(left(s), right(s));
    if (op === '!=')
      return (s) => {
        const e = feelEquals(left(s), right(s));
        return e === null ? null : !e;
      };
    if (!this.profile.warnNotComparable) return (s) => compareWith(op, left(s), right(s));
    return (s) => {
      const l = left(s);
      const r = right(s);
      const result = compareWith(op, l, r);
      if (result === null && l !== null && r !== null) s.run.warn('NOT_COMPARABLE', `Can't compare '${displayValue(l)}' with '${displayValue(r)}'`);
      return result;
    };
  }

  unaryTest(test: UnaryTest): TestCode {
    switch (test.kind) {
      case 'compare': {
        const value = this.compile(test.value);
        const op = test.op;
        if (op === '=') return (s, input) => feelEquals(input, value(s));
        if (op === '!=')
          return (s, input) => {
            const e = feelEquals(input, value(s));
            return e === null ? null : !e;
          };
        return (s, input) => compareWith(op, input, value(s));
      }
      case 'interval': {
        const range = this.compile(test.node);
        return (s, input) => {
          const r = range(s);
          return r instanceof FeelRange ? rangeIncludes(r, input) : null;
        };
      }
      case 'expression': {
        if (test.node.kind === 'unaryRange' && (test.node.op === '=' || test.node.op === '!=')) return this.unaryTest({ kind: 'compare', op: test.node.op, value: test.node.value });
        const code = this.compile(test.node);
        const withInput = usesInput(test.node);
        return (s, input) => {
          const v = code(withInput ? s.child(new Map([[INPUT, input]])) : s);
          if (withInput && typeof v === 'boolean') return v;
          if (v instanceof FeelRange) return rangeIncludes(v, input);
          if (Array.isArray(v) && (!Array.isArray(input) || v.some(Array.isArray))) {
            // Membership: an item of another kind is simply not a match.
            for (const item of v) {
              const e = item instanceof FeelRange ? rangeIncludes(item, input) : feelEquals(input, item as Value);
              if (e === true) return true;
            }
            return false;
          }
          if (typeof v === 'boolean' && typeof input !== 'boolean') return v;
          return feelEquals(input, v);
        };
      }
    }
  }

  private iterationPlan(iterations: readonly Iteration[]): (s: Scope, visit: (scope: Scope) => boolean) => boolean {
    const sources = iterations.map((it) => ({ name: it.name, from: this.compile(it.from), to: it.to === null ? null : this.compile(it.to) }));
    const step = (level: number, s: Scope, visit: (scope: Scope) => boolean): boolean => {
      if (level === sources.length) return visit(s);
      const source = sources[level]!;
      const items = iterationItems(s, source.from(s), source.to === null ? undefined : source.to(s));
      if (items === null) return false;
      for (const item of items) {
        if (!step(level + 1, s.child(new Map([[source.name, item]])), visit)) return false;
      }
      return true;
    };
    return (s, visit) => step(0, s, visit);
  }

  private forLoop(iterations: readonly Iteration[], body: Code): Code {
    const plan = this.iterationPlan(iterations);
    return (s) => {
      const results: Value[] = [];
      const ok = plan(s, (scope) => {
        results.push(body(scope.child(new Map([['partial', results.slice()]]))));
        return true;
      });
      return ok ? results : null;
    };
  }

  private quantified(kind: 'some' | 'every', iterations: readonly Iteration[], condition: Code): Code {
    const plan = this.iterationPlan(iterations);
    return (s) => {
      let result: boolean | null = kind === 'every';
      let stopped = false;
      const ok = plan(s, (scope) => {
        const c = condition(scope);
        if (kind === 'some' && c === true) {
          result = true;
          stopped = true;
          return false;
        }
        if (kind === 'every' && c !== true) {
          result = false;
          stopped = true;
          return false;
        }
        return true;
      });
      if (!ok && !stopped) return null;
      return result;
    };
  }

  private context(entries: ReadonlyArray<readonly [string, Node]>): Code {
    const compiled = entries.map(([key, value]) => [key, this.compile(value)] as const);
    return (s) => {
      const frame = new Map<string, Value>();
      const scope = s.child(frame);
      for (const [key, code] of compiled) {
        if (frame.has(key)) return s.run.warn('DUPLICATE_CONTEXT_KEY', `Duplicate context entry key '${key}'`);
        frame.set(key, code(scope));
      }
      return new FeelContext(frame);
    };
  }

  private functionDefinition(node: Extract<Node, { kind: 'function' }>): Code {
    if (node.external) return (s) => s.run.warn('UNSUPPORTED', 'External functions are not supported');
    const params: Parameter[] = node.params.map((p) => (p.type === null ? { name: p.name } : { name: p.name, type: typeFromNode(p.type) }));
    const body = this.compile(node.body);
    return (s) =>
      new FeelFunction('anonymous', [
        {
          params,
          invoke: (args) => {
            const frame = new Map<string, Value>();
            params.forEach((p, i) => frame.set(p.name, args[i] ?? null));
            return body(s.child(frame));
          },
        },
      ]);
  }
}

function and(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return null;
}

function index(list: readonly Value[], n: FeelNumber): Value {
  if (!n.isInteger()) return null;
  const i = n.toNumber();
  if (i > 0 && i <= list.length) return list[i - 1]!;
  if (i < 0 && -i <= list.length) return list[list.length + i]!;
  return null;
}

function makeRange(s: Scope, start: Value, end: Value, startIncluded: boolean, endIncluded: boolean, open?: 'start' | 'end', pointed = false): Value {
  if (start !== null && end !== null) {
    const ordered = compareWith('<=', start, end);
    if (ordered === null) return s.run.warn('INVALID_RANGE', `Range endpoints '${String(start)}' and '${String(end)}' are not comparable`);
  }
  return new FeelRange(start, end, startIncluded, endIncluded, open === 'start', open === 'end', pointed);
}

/** The items of an iteration context: a list, a numeric or date range `a..b`, or a range value. */
function iterationItems(s: Scope, from: Value, to: Value | undefined): readonly Value[] | null {
  if (to === undefined) {
    if (Array.isArray(from)) return from;
    if (from instanceof FeelRange) {
      if (compareWith('>', from.start, from.end) === true) return s.run.warn('INVALID_RANGE', 'A range to iterate over must be ascending');
      return rangeItems(s, from.start, from.end, from.startIncluded, from.endIncluded);
    }
    return from === null ? null : [from];
  }
  return rangeItems(s, from, to, true, true);
}

function rangeItems(s: Scope, from: Value, to: Value, startIncluded: boolean, endIncluded: boolean): readonly Value[] | null {
  if (isNumber(from) && isNumber(to) && from.isInteger() && to.isInteger()) {
    const [a, b] = [from.toNumber(), to.toNumber()];
    const step = a <= b ? 1 : -1;
    const items: Value[] = [];
    const first = startIncluded ? a : a + step;
    const last = endIncluded ? b : b - step;
    if (Math.abs(last - first) > 10_000_000) return s.run.warn('INVALID_RANGE', 'Iteration range too large');
    for (let i = first; step > 0 ? i <= last : i >= last; i += step) items.push(new FeelDecimal(i));
    return items;
  }
  if (from instanceof FeelDate && to instanceof FeelDate) {
    const [a, b] = [from.epochDay, to.epochDay];
    const step = a <= b ? 1 : -1;
    const items: Value[] = [];
    for (let d = startIncluded ? a : a + step; step > 0 ? d <= (endIncluded ? b : b - 1) : d >= (endIncluded ? b : b + 1); d += step) items.push(FeelDate.fromEpochDay(d));
    return items;
  }
  return s.run.warn('INVALID_RANGE', `Can't iterate over '${String(from)}..${String(to)}'`);
}
