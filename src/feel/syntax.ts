/**
 * Deploy-time FEEL syntax checking. feelin's parser recovers from errors and marks them in the
 * tree; it only throws later, while building the interpreter, and right after that it evaluates.
 * Evaluating at deploy time could run arbitrary loops, so we read the error nodes ourselves.
 *
 * The check parses with an empty context. Names with spaces still parse (feelin joins the words),
 * so only names containing operators or quotes (`a-b`, `Mike's`) fail here; FEEL-Scala, which
 * Zeebe uses, rejects those too unless they are backticked, and feelin has no backticks.
 */
import { parseExpression } from 'feelin';

/** Returns null when the FEEL source is syntactically valid, else a description of the error. */
export function checkFeelSyntax(source: string): string | null {
  if (source.trim() === '') return 'the expression is empty';
  let problem: string | null = null;
  try {
    const tree = parseExpression(source, {}, undefined);
    tree.iterate({
      enter(nodeRef) {
        if (problem !== null) return false;
        if (!nodeRef.type.isError) return undefined;
        problem = describeError(source, nodeRef.node);
        return false;
      },
    });
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  return problem;
}

type SyntaxNode = Parameters<Parameters<ReturnType<typeof parseExpression>['iterate']>[0]['enter']>[0]['node'];

function describeError(source: string, node: SyntaxNode): string {
  const context = node.parent ? ` in <${node.parent.name}>` : '';
  if (node.from !== node.to) {
    return `unexpected '${source.slice(node.from, node.to)}'${context} at position ${node.from + 1}`;
  }
  const next = nextNode(node);
  if (next) {
    return `unexpected '${source.slice(next.from, next.to)}'${context} at position ${next.from + 1}`;
  }
  return `unexpected end of expression${context}`;
}

function nextNode(node: SyntaxNode): SyntaxNode | null {
  for (let current: SyntaxNode | null = node; current; current = current.parent) {
    if (current.nextSibling) return current.nextSibling;
  }
  return null;
}
