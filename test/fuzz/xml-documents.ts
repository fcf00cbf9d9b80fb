/**
 * XML documents as trees, so mutations can work on elements and attributes (drop, duplicate,
 * rename, point a reference elsewhere, deep nesting) before the text is written, and on the
 * bytes after (entity payloads, DOCTYPEs, invalid UTF-8, truncation, flipped bytes).
 */
import fc from 'fast-check';

export interface XmlElement {
  name: string;
  attrs: Array<[string, string]>;
  children: Array<XmlElement | string>;
}

export function el(name: string, attrs: Record<string, string> = {}, ...children: Array<XmlElement | string>): XmlElement {
  return { name, attrs: Object.entries(attrs), children };
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function writeXml(root: XmlElement): string {
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  // Iterative: a mutation may nest thousands of levels, which recursion here would not survive.
  const stack: Array<XmlElement | string | { close: string }> = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') parts.push(escapeXml(item));
    else if ('close' in item) parts.push(`</${item.close}>`);
    else {
      const attrs = item.attrs.map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
      if (item.children.length === 0) parts.push(`<${item.name}${attrs}/>`);
      else {
        parts.push(`<${item.name}${attrs}>`);
        stack.push({ close: item.name });
        for (let i = item.children.length - 1; i >= 0; i--) stack.push(item.children[i]!);
      }
    }
  }
  return parts.join('');
}

/** A deep copy, iterative: a mutation may already have nested thousands of levels. */
function clone(element: XmlElement): XmlElement {
  const copy: XmlElement = { name: element.name, attrs: element.attrs.map(([k, v]) => [k, v]), children: [] };
  const pending: Array<[XmlElement, XmlElement]> = [[element, copy]];
  while (pending.length > 0) {
    const [from, to] = pending.pop()!;
    for (const child of from.children) {
      if (typeof child === 'string') to.children.push(child);
      else {
        const childCopy: XmlElement = { name: child.name, attrs: child.attrs.map(([k, v]) => [k, v]), children: [] };
        to.children.push(childCopy);
        pending.push([child, childCopy]);
      }
    }
  }
  return copy;
}

/** Every element with its parent, in document order (iterative, like `clone`). */
function elements(root: XmlElement): Array<{ element: XmlElement; parent: XmlElement | null }> {
  const out: Array<{ element: XmlElement; parent: XmlElement | null }> = [];
  const pending: Array<{ element: XmlElement; parent: XmlElement | null }> = [{ element: root, parent: null }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    out.push(next);
    for (let i = next.element.children.length - 1; i >= 0; i--) {
      const child = next.element.children[i]!;
      if (typeof child !== 'string') pending.push({ element: child, parent: next.element });
    }
  }
  return out;
}

/** Values a mutated attribute may take: wrong references, bad FEEL, huge or odd text. */
const attributeValue = (ids: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...ids, 'missing-ref', '', ' ', '=', '= (', '=a +', '=[1..', '={a:', '=if then else', '=x y z', '=now(', '=@"bad"', 'R/PT-1S', 'P1Y1Y', '-1', '99999999999999999999', 'NaN', 'true', 'xsi:nil'),
    fc.string({ maxLength: 30, unit: 'grapheme' }),
    fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
    fc.constantFrom('\u0000', '\uD800', '\uFFFF', '&#0;', '<![CDATA[', ']]>', '\r\n\t', '💥'.repeat(1000)),
  );

const NAMES = ['bpmn:task', 'bpmn:subProcess', 'bpmn:extensionElements', 'zeebe:unknown', 'foo:bar', 'bpmn:', ':x', 'decision', 'dmn:decisionTable', 'rule', 'x'];

export type TreeMutation = (root: XmlElement) => void;

/** One structural mutation of a tree, or none. */
export function treeMutation(ids: readonly string[]): fc.Arbitrary<{ describe: string; apply: TreeMutation }> {
  const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);
  return fc.oneof(
    fc.tuple(fc.nat(), fc.nat()).map(([e, a]) => ({
      describe: `drop attribute ${e}/${a}`,
      apply: (root: XmlElement) => {
        const target = pick(elements(root), e)?.element;
        if (target && target.attrs.length > 0) target.attrs.splice(a % target.attrs.length, 1);
      },
    })),
    fc.tuple(fc.nat(), fc.nat()).map(([e, a]) => ({
      describe: `duplicate attribute ${e}/${a}`,
      apply: (root: XmlElement) => {
        const target = pick(elements(root), e)?.element;
        const attr = target && pick(target.attrs, a);
        if (target && attr) target.attrs.push([attr[0], attr[1]]);
      },
    })),
    fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('id', 'ref', 'xmlns', 'xmlns:bpmn', 'name', 'x:y', 'sourceRef', 'type')).map(([e, a, to]) => ({
      describe: `rename attribute ${e}/${a} to ${to}`,
      apply: (root: XmlElement) => {
        const target = pick(elements(root), e)?.element;
        const attr = target && pick(target.attrs, a);
        if (attr) attr[0] = to;
      },
    })),
    fc.tuple(fc.nat(), fc.nat(), attributeValue(ids)).map(([e, a, value]) => ({
      describe: `set attribute ${e}/${a} to ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? `… (${value.length})` : ''}`,
      apply: (root: XmlElement) => {
        const target = pick(elements(root), e)?.element;
        const attr = target && pick(target.attrs, a);
        if (attr) attr[1] = value;
      },
    })),
    fc.nat().map((e) => ({
      describe: `drop element ${e}`,
      apply: (root: XmlElement) => {
        const found = pick(elements(root), e);
        if (found?.parent) found.parent.children.splice(found.parent.children.indexOf(found.element), 1);
      },
    })),
    fc.nat().map((e) => ({
      describe: `duplicate element ${e}`,
      apply: (root: XmlElement) => {
        const found = pick(elements(root), e);
        if (found?.parent) found.parent.children.push(clone(found.element));
      },
    })),
    fc.tuple(fc.nat(), fc.constantFrom(...NAMES)).map(([e, name]) => ({
      describe: `rename element ${e} to ${name}`,
      apply: (root: XmlElement) => {
        const target = pick(elements(root), e)?.element;
        if (target) target.name = name;
      },
    })),
    fc.tuple(fc.nat(), fc.string({ maxLength: 20 })).map(([e, text]) => ({
      describe: `add text ${JSON.stringify(text)} to element ${e}`,
      apply: (root: XmlElement) => pick(elements(root), e)?.element.children.push(text),
    })),
    fc.tuple(fc.nat(), fc.integer({ min: 2, max: 5000 }), fc.constantFrom(...NAMES)).map(([e, depth, name]) => ({
      describe: `nest ${depth} levels of ${name} under element ${e}`,
      apply: (root: XmlElement) => {
        const target = pick(elements(root), e)?.element;
        if (!target) return;
        let inner: XmlElement = el(name, { id: 'deep-0' });
        for (let i = 1; i < depth; i++) inner = el(name, { id: `deep-${i}` }, inner);
        target.children.push(inner);
      },
    })),
  );
}

const ENTITY_PAYLOADS = [
  // billion laughs
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
  // external entities (XXE): a file, a URL, a parameter entity
  '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE d [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/evil">]>',
  '<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;]>',
  '<!DOCTYPE d SYSTEM "http://127.0.0.1:1/evil.dtd">',
  '<!doctype d>',
  '<!ENTITY x "y">',
];

/** One mutation of the written text (or of its bytes). */
export function textMutation(): fc.Arbitrary<{ describe: string; apply: (text: Buffer) => Buffer }> {
  const afterDeclaration = (text: string) => {
    const end = text.indexOf('?>');
    return end === -1 ? 0 : end + 2;
  };
  return fc.oneof(
    fc.constantFrom(...ENTITY_PAYLOADS).map((payload) => ({
      describe: `prolog ${payload.slice(0, 50)}`,
      apply: (bytes: Buffer) => {
        const text = bytes.toString('utf8');
        const at = afterDeclaration(text);
        return Buffer.from(text.slice(0, at) + payload + text.slice(at));
      },
    })),
    fc.tuple(fc.nat(), fc.constantFrom('&lol3;', '&xxe;', '&amp', '&#xD800;', '&#0;', '&#99999999;', '&unknown;', ']]>', '<!-- -- -->', '<?pi x?>', '<![CDATA[ x ]]>')).map(([at, insert]) => ({
      describe: `insert ${insert} at ${at}`,
      apply: (bytes: Buffer) => {
        const text = bytes.toString('utf8');
        const i = at % (text.length + 1);
        return Buffer.from(text.slice(0, i) + insert + text.slice(i));
      },
    })),
    fc.tuple(fc.nat(), fc.constantFrom('drop', 'duplicate', 'dangle', 'feel', 'huge')).map(([n, how]) => ({
      describe: `${how} attribute ${n} of the text`,
      apply: (bytes: Buffer) => {
        const text = bytes.toString('utf8');
        const found = [...text.matchAll(/ ([A-Za-z_][\w:.-]*)="([^"]*)"/g)];
        if (found.length === 0) return bytes;
        const match = found[n % found.length]!;
        const at = match.index;
        const replacement = {
          drop: '',
          duplicate: match[0] + match[0],
          dangle: ` ${match[1]}="nowhere-${n}"`,
          feel: ` ${match[1]}="=if (a then"`,
          huge: ` ${match[1]}="${'y'.repeat(100_000)}"`,
        }[how];
        return Buffer.from(text.slice(0, at) + replacement + text.slice(at + match[0].length));
      },
    })),
    fc.nat().map((at) => ({
      describe: `truncate at ${at}`,
      apply: (bytes: Buffer) => bytes.subarray(0, at % (bytes.length + 1)),
    })),
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([at, junk]) => ({
      describe: `insert bytes ${Buffer.from(junk).toString('hex')} at ${at}`,
      apply: (bytes: Buffer) => {
        const i = at % (bytes.length + 1);
        return Buffer.concat([bytes.subarray(0, i), Buffer.from(junk), bytes.subarray(i)]);
      },
    })),
    fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff]), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xc0, 0x80])).map((prefix) => ({
      describe: `prefix ${prefix.toString('hex')}`,
      apply: (bytes: Buffer) => Buffer.concat([prefix, bytes]),
    })),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 5 }).map((flips) => ({
      describe: `flip bytes ${flips.map(([at, v]) => `${at}=${v}`).join(',')}`,
      apply: (bytes: Buffer) => {
        const copy = Buffer.from(bytes);
        for (const [at, value] of flips) if (copy.length > 0) copy[at % copy.length] = value;
        return copy;
      },
    })),
  );
}

/** A generated tree with up to three tree mutations and up to two text mutations. */
export interface MutatedDocument {
  readonly bytes: Buffer;
  readonly mutations: readonly string[];
}

/** A valid document (written elsewhere) with up to two text mutations. */
export function mutatedText(texts: fc.Arbitrary<string>): fc.Arbitrary<MutatedDocument> {
  return fc.tuple(texts, fc.array(textMutation(), { maxLength: 2 })).map(([text, textual]) => {
    let bytes: Buffer = Buffer.from(text);
    for (const m of textual) bytes = m.apply(bytes);
    const mutations = textual.map((m) => m.describe);
    return { bytes, mutations, [fc.toStringMethod]: () => `${JSON.stringify(mutations)} ${bytes.length} bytes: ${JSON.stringify(bytes.subarray(0, 4000).toString('latin1'))}` };
  });
}

export function mutatedDocument(tree: fc.Arbitrary<{ root: XmlElement; ids: readonly string[] }>): fc.Arbitrary<MutatedDocument> {
  return tree.chain(({ root, ids }) =>
    fc
      .tuple(fc.array(treeMutation(ids), { maxLength: 3 }), fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, fc.array(textMutation(), { minLength: 1, maxLength: 2 })))
      .map(([structural, textual]) => {
        const copy = clone(root);
        for (const m of structural) m.apply(copy);
        let bytes: Buffer = Buffer.from(writeXml(copy));
        for (const m of textual) bytes = m.apply(bytes);
        const mutations = [...structural, ...textual].map((m) => m.describe);
        // fast-check prints this on failure: the mutations and the start of the text, not megabytes.
        return { bytes, mutations, [fc.toStringMethod]: () => `${JSON.stringify(mutations)} ${bytes.length} bytes: ${JSON.stringify(bytes.subarray(0, 4000).toString('latin1'))}` };
      }),
  );
}
