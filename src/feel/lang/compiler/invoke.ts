/**
 * Calling a FEEL function: pick the signature that fits the arguments (count, names, types, with
 * DMN's singleton-list conversions), bind, invoke; a FeelError inside becomes null plus a warning.
 */
import { FeelFunction, type Parameter, type Signature } from '../values/function.js';
import { conforms, typeText } from '../values/types.js';
import type { Value } from '../values/value.js';
import { FeelError, type Run } from './run.js';

function coerce(value: Value, param: Parameter): { ok: true; value: Value } | { ok: false } {
  const type = param.type;
  if (type === undefined || conforms(value, type)) return { ok: true, value };
  if (Array.isArray(value) && value.length === 1 && type.kind !== 'list' && conforms(value[0] as Value, type)) return { ok: true, value: value[0] as Value };
  if (type.kind === 'list' && conforms([value], type)) return { ok: true, value: [value] };
  if (type.kind === 'simple' && type.name === 'list' && !Array.isArray(value)) return { ok: true, value: [value] };
  return { ok: false };
}

function bindPositional(signature: Signature, args: readonly Value[]): Value[] | null {
  const params = signature.params;
  const last = params[params.length - 1];
  const variadic = last?.variadic === true;
  const fixed = variadic ? params.length - 1 : params.length;
  const required = params.filter((p) => !p.optional && !p.variadic).length;
  if (args.length < required || (!variadic && args.length > fixed)) return null;
  const bound: Value[] = [];
  for (let i = 0; i < Math.min(args.length, fixed); i++) {
    const c = coerce(args[i]!, params[i]!);
    if (!c.ok) return null;
    bound.push(c.value);
  }
  if (variadic) {
    const rest = args.slice(fixed);
    for (const item of rest) if (!coerce(item, last!).ok) return null;
    bound.push(rest);
  }
  return bound;
}

function bindNamed(signature: Signature, args: ReadonlyMap<string, Value>): Value[] | null {
  const params = signature.params;
  for (const name of args.keys()) if (!params.some((p) => p.name === name)) return null;
  const bound: Value[] = [];
  let lastGiven = -1;
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    if (args.has(param.name)) {
      lastGiven = i;
      const value = args.get(param.name)!;
      if (param.variadic) {
        bound.push(Array.isArray(value) ? value : [value]);
        continue;
      }
      const c = coerce(value, param);
      if (!c.ok) return null;
      bound.push(c.value);
    } else if (param.optional || param.variadic) {
      bound.push(param.variadic ? [] : null);
    } else {
      return null;
    }
  }
  return bound.slice(0, lastGiven + 1 + params.slice(lastGiven + 1).filter((p) => p.variadic).length);
}

export function invoke(fn: Value, name: string, positional: readonly Value[] | null, named: ReadonlyMap<string, Value> | null, run: Run): Value {
  if (!(fn instanceof FeelFunction)) return run.warn('NO_FUNCTION_FOUND', `No function found with name '${name}'`);
  for (const signature of fn.signatures) {
    const bound = positional !== null ? bindPositional(signature, positional) : bindNamed(signature, named!);
    if (bound === null) continue;
    try {
      return signature.invoke(bound, run);
    } catch (error) {
      if (error instanceof FeelError) return run.warn(error.type, `Failed to invoke function '${name}': ${error.message}`);
      if (error instanceof RangeError || error instanceof TypeError) return run.warn('FUNCTION_INVOCATION_FAILURE', `Failed to invoke function '${name}': ${error.message}`);
      throw error;
    }
  }
  const shapes = fn.signatures.map((s) => `(${s.params.map((p) => `${p.variadic ? '...' : ''}${p.name}${p.type ? ': ' + typeText(p.type) : ''}`).join(', ')})`).join(' or ');
  return run.warn('FUNCTION_INVOCATION_FAILURE', `Failed to invoke function '${name}': no signature ${shapes} matches the arguments`);
}
