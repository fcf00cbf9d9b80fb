/**
 * Data-driven test files in the shape etcd's raft tests use (cockroachdb/datadriven):
 *
 *   # comments and blank lines between cases are kept as they are
 *   command arg key=value
 *   optional input lines
 *   ----
 *   expected output lines
 *   (a blank line ends the case)
 *
 * Output never holds a blank line, so a file rewritten with actual outputs parses back the same.
 */

export interface DataCase {
  /** 1-based line of the command, for failure messages. */
  readonly line: number;
  /** The command line as written. */
  readonly raw: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly input: string;
  expected: string[];
}

/** A file as text between cases (comments, blank lines) and the cases themselves, in order. */
export type DataChunk = { readonly text: string[] } | DataCase;

export function parseDataFile(content: string): DataChunk[] {
  const lines = content.replace(/\n$/, '').split('\n');
  const chunks: DataChunk[] = [];
  let text: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) {
      text.push(line);
      i++;
      continue;
    }
    if (text.length > 0) chunks.push({ text });
    text = [];
    const start = i + 1;
    const [command, ...rest] = line.trim().split(/\s+/);
    const args: string[] = [];
    const options: Record<string, string> = {};
    for (const token of rest) {
      const eq = token.indexOf('=');
      if (eq > 0) options[token.slice(0, eq)] = token.slice(eq + 1);
      else args.push(token);
    }
    i++;
    const input: string[] = [];
    while (i < lines.length && lines[i] !== '----') input.push(lines[i++]!);
    if (i >= lines.length) throw new Error(`line ${start}: '${command}' has no '----' line`);
    i++;
    const expected: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') expected.push(lines[i++]!);
    chunks.push({ line: start, raw: line, command: command!, args, options, input: input.join('\n'), expected });
  }
  if (text.length > 0) chunks.push({ text });
  return chunks;
}

/** The file again, each case with `expected` as it now stands (for REWRITE=1). */
export function printDataFile(chunks: readonly DataChunk[]): string {
  const out: string[] = [];
  for (const chunk of chunks) {
    if ('text' in chunk) {
      out.push(...chunk.text);
      continue;
    }
    out.push(chunk.raw);
    if (chunk.input !== '') out.push(chunk.input);
    out.push('----', ...chunk.expected);
  }
  return `${out.join('\n')}\n`;
}

export function isCase(chunk: DataChunk): chunk is DataCase {
  return !('text' in chunk);
}
