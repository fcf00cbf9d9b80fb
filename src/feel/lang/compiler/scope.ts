/**
 * Name resolution at run time: a chain of frames (function parameters, iteration variables,
 * context entries being built) over the caller's input, whose JS values are converted to FEEL
 * values on first use only.
 */
import { fromJs } from '../values/convert.js';
import type { Value } from '../values/value.js';
import type { Run } from './run.js';

export class Scope {
  private converted: Map<string, Value> | null = null;
  constructor(
    readonly run: Run,
    readonly parent: Scope | null,
    private readonly frame: ReadonlyMap<string, Value> | null,
    private readonly input: Readonly<Record<string, unknown>> | null = null,
  ) {}

  lookup(name: string): Value | undefined {
    for (let scope: Scope | null = this; scope !== null; scope = scope.parent) {
      if (scope.frame !== null) {
        const value = scope.frame.get(name);
        if (value !== undefined) return value;
      } else if (scope.input !== null && Object.prototype.hasOwnProperty.call(scope.input, name)) {
        return scope.fromInput(name);
      }
    }
    return undefined;
  }

  private fromInput(name: string): Value {
    this.converted ??= new Map();
    let value = this.converted.get(name);
    if (value === undefined) {
      value = fromJs(this.input![name]);
      this.converted.set(name, value);
    }
    return value;
  }

  child(frame: ReadonlyMap<string, Value>): Scope {
    return new Scope(this.run, this, frame);
  }
}
