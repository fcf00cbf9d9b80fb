/**
 * Zen's FEEL syntax tree: what the compiler needs, independent of lezer's node layout. Every node
 * keeps its source span for messages.
 */
export interface Span {
  readonly from: number;
  readonly to: number;
}

export type TypeNode =
  | { readonly kind: 'named'; readonly name: string }
  | { readonly kind: 'list' | 'range'; readonly element: TypeNode }
  | { readonly kind: 'context'; readonly entries: ReadonlyArray<readonly [string, TypeNode]> }
  | { readonly kind: 'function'; readonly params: readonly TypeNode[]; readonly result: TypeNode };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '**';

/** One test of a unary-tests list (`in (1, > 2, [3..4])`) or a DMN input entry. */
export type UnaryTest =
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly value: Node }
  | { readonly kind: 'interval'; readonly node: Node }
  | { readonly kind: 'expression'; readonly node: Node };

export interface Iteration {
  readonly name: string;
  readonly from: Node;
  /** `x in 1..5`: the end of a numeric iteration range. */
  readonly to: Node | null;
}

export type Node = Span &
  (
    | { readonly kind: 'literal'; readonly value: unknown; readonly literal: 'number' | 'string' | 'boolean' | 'null' }
    | { readonly kind: 'at'; readonly text: string }
    | { readonly kind: 'name'; readonly name: string }
    | { readonly kind: 'input' }
    | { readonly kind: 'path'; readonly target: Node; readonly name: string }
    | { readonly kind: 'filter'; readonly target: Node; readonly filter: Node }
    | { readonly kind: 'call'; readonly callee: Node; readonly positional: readonly Node[] | null; readonly named: ReadonlyArray<readonly [string, Node]> | null }
    | { readonly kind: 'negate'; readonly operand: Node }
    | { readonly kind: 'arith'; readonly op: ArithOp; readonly left: Node; readonly right: Node }
    | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Node; readonly right: Node }
    | { readonly kind: 'between'; readonly value: Node; readonly low: Node; readonly high: Node }
    | { readonly kind: 'in'; readonly value: Node; readonly tests: readonly UnaryTest[] }
    | { readonly kind: 'and' | 'or'; readonly left: Node; readonly right: Node }
    | { readonly kind: 'if'; readonly condition: Node; readonly then: Node; readonly else: Node }
    | { readonly kind: 'for'; readonly iterations: readonly Iteration[]; readonly body: Node }
    | { readonly kind: 'some' | 'every'; readonly iterations: readonly Iteration[]; readonly condition: Node }
    | { readonly kind: 'list'; readonly items: readonly Node[] }
    | { readonly kind: 'context'; readonly entries: ReadonlyArray<readonly [string, Node]> }
    | { readonly kind: 'function'; readonly params: ReadonlyArray<{ readonly name: string; readonly type: TypeNode | null }>; readonly body: Node; readonly external: boolean }
    | { readonly kind: 'instanceOf'; readonly value: Node; readonly type: TypeNode }
    | { readonly kind: 'interval'; readonly start: Node | null; readonly end: Node | null; readonly startIncluded: boolean; readonly endIncluded: boolean }
    /** `> 5` written as a value: a range open on one side (DMN 1.5), or `= x` / `!= x`. */
    | { readonly kind: 'unaryRange'; readonly op: CompareOp; readonly value: Node }
  );

/** The top of a unary-tests source (DMN input entries): `-`, a list of tests, or `not(...)`. */
export type UnaryTestsNode =
  | { readonly kind: 'any' }
  | { readonly kind: 'tests'; readonly negated: boolean; readonly tests: readonly UnaryTest[] };
