/**
 * A small XML reader for DMN and TCK files: elements by local name (namespace prefixes dropped),
 * attributes, text. DMN 1.1–1.5 differ mostly in namespace, so reading by local name reads them all;
 * dmn-moddle would drop the 1.4 boxed expressions it does not know.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** The document node; its children are the root element(s). Malformed input yields what was read. */
export function parseXml(xml: string): XmlElement {
  const top: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [top];
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) !== null) {
    const current = stack[stack.length - 1]!;
    if (m[1] !== undefined) current.text += m[1];
    else if (m[2] !== undefined) {
      if (stack.length > 1) stack.pop();
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of m[4]!.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
      const element: XmlElement = { name: localName(m[3]), attrs, children: [], text: '' };
      current.children.push(element);
      if (m[5] !== '/') stack.push(element);
    } else if (m[6] !== undefined) current.text += decode(m[6]);
  }
  return top;
}

export const children = (e: XmlElement, name: string): XmlElement[] => e.children.filter((c) => c.name === name);
export const child = (e: XmlElement, name: string): XmlElement | undefined => e.children.find((c) => c.name === name);

/** An attribute by name, with or without a namespace prefix (`xsi:type` or `type`). */
export function attr(e: XmlElement, name: string): string | undefined {
  const direct = e.attrs[name];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(e.attrs)) if (localName(k) === name) return v;
  return undefined;
}

/** The text of a child element (e.g. `<text>` of a literal expression), or undefined. */
export function childText(e: XmlElement, name: string): string | undefined {
  const c = child(e, name);
  return c === undefined ? undefined : c.text;
}
