/**
 * lezer-feel syntax tree -> Zen AST. Names with spaces (`Full Name`) and names that contain
 * operators or keywords are resolved by lezer-feel's context tracker, so the parser is given the
 * names in scope (variables and built-ins) up front.
 */
import { parser, trackVariables } from 'lezer-feel';
import type { SyntaxNode, Tree } from '@lezer/common';
import type { CompareOp, Iteration, Node, TypeNode, UnaryTest, UnaryTestsNode } from './ast.js';

export class FeelSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export interface ParseOptions {
  readonly knownNames?: Iterable<string>;
  readonly dialect?: 'camunda';
}

function lezerParse(source: string, top: 'Expression' | 'UnaryTests', options: ParseOptions): Tree {
  const names: Record<string, number> = {};
  for (const name of options.knownNames ?? []) names[name] = 1;
  const configured = parser.configure({
    top,
    contextTracker: trackVariables(names),
    ...(options.dialect ? { dialect: options.dialect } : {}),
  });
  return configured.parse(source);
}

export function parseExpression(source: string, options: ParseOptions = {}): Node {
  const tree = lezerParse(source, 'Expression', options);
  const reader = new Reader(source);
  reader.checkErrors(tree);
  const top = tree.topNode.firstChild;
  if (top === null) throw new FeelSyntaxError('Empty expression', 0);
  return reader.node(top);
}

export function parseUnaryTests(source: string, options: ParseOptions = {}): UnaryTestsNode {
  const tree = lezerParse(source, 'UnaryTests', options);
  const reader = new Reader(source);
  reader.checkErrors(tree);
  const first = tree.topNode.firstChild;
  if (first === null) throw new FeelSyntaxError('Empty unary tests', 0);
  if (first.name === 'Wildcard') return { kind: 'any' };
  if (first.name === 'not') {
    const tests = tree.topNode.getChild('PositiveUnaryTests');
    if (tests === null) throw new FeelSyntaxError('Expected tests after not(', first.to);
    return { kind: 'tests', negated: true, tests: reader.unaryTests(tests) };
  }
  return { kind: 'tests', negated: false, tests: reader.unaryTests(first) };
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) out.push(child);
  return out;
}

/** Punctuation and keywords carry no meaning past the tree's shape. */
const TOKENS = new Set(['(', ')', '[', ']', '{', '}', '.', '..', ',', 'for', 'in', 'return', 'if', 'then', 'else', 'some', 'every', 'satisfies', 'or', 'and', 'between', 'instance', 'of', 'function', 'external', 'not', '<', '>', 'LineComment', 'BlockComment']);

function meaningful(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter((c) => !TOKENS.has(c.name));
}

const STRING_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\' };

export function unescapeString(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{6}|.)/gs, (whole, escape: string) => {
    if (escape.startsWith('u{')) return String.fromCodePoint(parseInt(escape.slice(2, -1), 16));
    if (escape[0] === 'u' || escape[0] === 'U') return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return STRING_ESCAPES[escape] ?? whole;
  });
}

class Reader {
  constructor(private readonly source: string) {}

  checkErrors(tree: Tree): void {
    let error: { from: number } | null = null;
    tree.iterate({
      enter: (n) => {
        if (error !== null) return false;
        if (n.type.isError) {
          error = { from: n.from };
          return false;
        }
        return undefined;
      },
    });
    if (error !== null) {
      const at = (error as { from: number }).from;
      const near = this.source.slice(at, at + 20);
      throw new FeelSyntaxError(near ? `Syntax error at position ${at}: unexpected '${near}'` : `Syntax error at position ${at}: unexpected end of expression`, at);
    }
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  /** A name as written, with the whitespace between its words normalised. */
  name(node: SyntaxNode): string {
    if (node.name === 'BacktickIdentifier') return this.text(node).slice(1, -1);
    // Lezer hands out a fresh SyntaxNode per access, so the sole child is recognised by its span.
    const backtick = node.getChild('BacktickIdentifier');
    if (backtick !== null && backtick.from === node.from && backtick.to === node.to) return this.text(backtick).slice(1, -1);
    return this.text(node).trim().replace(/\s+/g, ' ');
  }

  private string(node: SyntaxNode): string {
    return unescapeString(this.text(node).slice(1, -1));
  }

  node(node: SyntaxNode): Node {
    const span = { from: node.from, to: node.to };
    const parts = meaningful(node);
    switch (node.name) {
      case 'Expression':
      case 'ParenthesizedExpression':
      case 'PositiveUnaryTest':
      case 'FunctionBody':
      case 'IterationContext':
        if (parts.length !== 1) throw new FeelSyntaxError(`Unexpected ${node.name}`, node.from);
        return this.node(parts[0]!);
      case 'NumericLiteral':
        // lezer-feel folds a leading minus into the literal, with any blanks after it (`- 1`).
        return { ...span, kind: 'literal', literal: 'number', value: this.text(node).replace(/\s+/g, '') };
      case 'StringLiteral':
        return { ...span, kind: 'literal', literal: 'string', value: this.string(node) };
      case 'BooleanLiteral':
        return { ...span, kind: 'literal', literal: 'boolean', value: this.text(node) === 'true' };
      case 'null':
        return { ...span, kind: 'literal', literal: 'null', value: null };
      case '?':
        return { ...span, kind: 'input' };
      case 'VariableName':
      case 'QualifiedName':
      case 'Name':
      case 'BacktickIdentifier': {
        const name = this.name(node);
        return name === '?' ? { ...span, kind: 'input' } : { ...span, kind: 'name', name };
      }
      case 'DateTimeLiteral':
        return this.dateTimeLiteral(node, span);
      case 'PathExpression':
        return { ...span, kind: 'path', target: this.node(parts[0]!), name: this.name(parts[1]!) };
      case 'FilterExpression':
        return { ...span, kind: 'filter', target: this.node(parts[0]!), filter: this.node(parts[1]!) };
      case 'FunctionInvocation':
        return this.invocation(node, span);
      case 'ArithmeticExpression':
        if (parts.length === 2) {
          const operand = this.node(parts[1]!);
          if (this.text(parts[0]!) === '+') return operand;
          return { ...span, kind: 'negate', operand };
        }
        return { ...span, kind: 'arith', op: this.text(parts[1]!) as '+', left: this.node(parts[0]!), right: this.node(parts[2]!) };
      case 'Comparison':
        return this.comparison(node, span);
      case 'Disjunction':
      case 'Conjunction':
        return { ...span, kind: node.name === 'Disjunction' ? 'or' : 'and', left: this.node(parts[0]!), right: this.node(parts[1]!) };
      case 'IfExpression':
        return { ...span, kind: 'if', condition: this.node(parts[0]!), then: this.node(parts[1]!), else: this.node(parts[2]!) };
      case 'ForExpression':
        return { ...span, kind: 'for', iterations: this.iterations(node.getChild('InExpressions')!), body: this.node(parts[parts.length - 1]!) };
      case 'QuantifiedExpression': {
        const quantifier = node.firstChild!.name === 'some' ? 'some' : 'every';
        return { ...span, kind: quantifier, iterations: this.iterations(node.getChild('InExpressions')!), condition: this.node(parts[parts.length - 1]!) };
      }
      case 'List':
        return { ...span, kind: 'list', items: parts.map((p) => this.node(p)) };
      case 'Context':
        return {
          ...span,
          kind: 'context',
          entries: parts.map((entry) => {
            const [key, value] = meaningful(entry);
            const keyNode = key!.firstChild!;
            const name = keyNode.name === 'StringLiteral' ? this.string(keyNode) : this.name(keyNode);
            return [name, this.node(value!)] as const;
          }),
        };
      case 'FunctionDefinition': {
        const formal = node.getChild('FormalParameters');
        const params = formal === null ? [] : meaningful(formal).map((p) => {
          const name = this.name(p.getChild('ParameterName')!);
          const type = p.getChild('Type');
          return { name, type: type === null ? null : this.type(type) };
        });
        return { ...span, kind: 'function', params, body: this.node(node.getChild('FunctionBody')!), external: node.getChild('external') !== null };
      }
      case 'InstanceOfExpression':
        return { ...span, kind: 'instanceOf', value: this.node(parts[0]!), type: this.type(node.getChild('Type')!) };
      case 'SimplePositiveUnaryTest': {
        const interval = node.getChild('Interval');
        if (interval !== null) return this.node(interval);
        return { ...span, kind: 'unaryRange', op: this.text(parts[0]!) as CompareOp, value: this.node(parts[1]!) };
      }
      case 'Interval': {
        const open = node.firstChild!;
        const close = node.lastChild!;
        const ends = meaningful(node);
        return {
          ...span,
          kind: 'interval',
          start: this.node(ends[0]!),
          end: this.node(ends[1]!),
          startIncluded: this.text(open) === '[',
          endIncluded: this.text(close) === ']',
        };
      }
      default:
        throw new FeelSyntaxError(`Unsupported syntax '${this.text(node)}' (${node.name})`, node.from);
    }
  }

  private dateTimeLiteral(node: SyntaxNode, span: { from: number; to: number }): Node {
    const at = node.getChild('AtLiteral');
    if (at !== null) return { ...span, kind: 'at', text: this.string(at.getChild('StringLiteral')!) };
    const ctor = node.getChild('DateTimeConstructor')!;
    const callee: Node = { from: ctor.from, to: ctor.to, kind: 'name', name: this.name(ctor) };
    return this.callWith(node, callee, span);
  }

  private invocation(node: SyntaxNode, span: { from: number; to: number }): Node {
    const calleeNode = node.firstChild!;
    const callee: Node = calleeNode.name === 'SpecialFunctionName' ? { from: calleeNode.from, to: calleeNode.to, kind: 'name', name: this.name(calleeNode) } : this.node(calleeNode);
    return this.callWith(node, callee, span);
  }

  private callWith(node: SyntaxNode, callee: Node, span: { from: number; to: number }): Node {
    const positional = node.getChild('PositionalParameters');
    const named = node.getChild('NamedParameters');
    if (named !== null) {
      const entries = meaningful(named).map((p) => {
        const [name, value] = meaningful(p);
        return [this.name(name!), this.node(value!)] as const;
      });
      return { ...span, kind: 'call', callee, positional: null, named: entries };
    }
    const args = positional === null ? [] : meaningful(positional).map((p) => this.node(p));
    return { ...span, kind: 'call', callee, positional: args, named: null };
  }

  private comparison(node: SyntaxNode, span: { from: number; to: number }): Node {
    const parts = meaningful(node);
    const opNode = node.getChild('CompareOp');
    if (opNode !== null) {
      const op = this.text(opNode) as CompareOp;
      const operands = parts.filter((p) => p !== opNode && p.from !== opNode.from);
      return { ...span, kind: 'compare', op, left: this.node(operands[0]!), right: this.node(operands[1]!) };
    }
    if (node.getChild('between') !== null) {
      return { ...span, kind: 'between', value: this.node(parts[0]!), low: this.node(parts[1]!), high: this.node(parts[2]!) };
    }
    const value = this.node(parts[0]!);
    const testsNode = parts[1]!;
    const tests = testsNode.name === 'PositiveUnaryTests' ? this.unaryTests(testsNode) : [this.unaryTest(testsNode)];
    return { ...span, kind: 'in', value, tests };
  }

  unaryTests(node: SyntaxNode): UnaryTest[] {
    return meaningful(node).map((t) => this.unaryTest(t));
  }

  private unaryTest(node: SyntaxNode): UnaryTest {
    const inner = node.name === 'PositiveUnaryTest' ? meaningful(node)[0]! : node;
    if (inner.name === 'SimplePositiveUnaryTest') {
      const interval = inner.getChild('Interval');
      if (interval !== null) return { kind: 'interval', node: this.node(interval) };
      const [op, value] = meaningful(inner);
      return { kind: 'compare', op: this.text(op!) as CompareOp, value: this.node(value!) };
    }
    return { kind: 'expression', node: this.node(inner) };
  }

  private iterations(node: SyntaxNode): Iteration[] {
    return meaningful(node).map((inExpr) => {
      const [name, context] = meaningful(inExpr);
      const ranges = meaningful(context!);
      if (ranges.length === 2) return { name: this.name(name!), from: this.node(ranges[0]!), to: this.node(ranges[1]!) };
      return { name: this.name(name!), from: this.node(ranges[0]!), to: null };
    });
  }

  type(node: SyntaxNode): TypeNode {
    const inner = node.name === 'Type' ? node.firstChild! : node;
    switch (inner.name) {
      case 'ListType':
        return { kind: 'list', element: this.type(inner.getChild('Type')!) };
      case 'ContextType': {
        const entries = inner.getChild('ContextEntryTypes');
        return {
          kind: 'context',
          entries: entries === null ? [] : meaningful(entries).map((e) => [this.name(e.getChild('Name')!), this.type(e.getChild('Type')!)] as const),
        };
      }
      case 'FunctionType': {
        const args = inner.getChild('ArgumentTypes');
        return {
          kind: 'function',
          params: args === null ? [] : meaningful(args).map((a) => this.type(a.getChild('Type')!)),
          result: this.type(inner.getChild('Type')!),
        };
      }
      default:
        return { kind: 'named', name: this.name(inner) };
    }
  }
}
