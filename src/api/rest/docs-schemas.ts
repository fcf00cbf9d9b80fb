/**
 * JSON schemas of the OpenAPI document as HTML for the docs page: a one-line type, the facts a
 * client needs (enum, default, bounds) and the fields, with every `$ref` expanded in place.
 * Every text taken from the document goes through `escapeHtml`.
 */

export type Schema = { readonly [keyword: string]: unknown };
export type Components = Readonly<Record<string, Schema>>;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const REF_PREFIX = '#/components/schemas/';
// A guard against absurd nesting; cycles are caught by name before this.
const MAX_DEPTH = 12;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

export function refName(schema: Schema): string | undefined {
  return typeof schema.$ref === 'string' && schema.$ref.startsWith(REF_PREFIX) ? schema.$ref.slice(REF_PREFIX.length) : undefined;
}

interface Resolved {
  readonly schema: Schema;
  /** Component names expanded on the way here, to stop at a schema that contains itself. */
  readonly seen: readonly string[];
  readonly cycle?: string;
  readonly missing?: string;
}

function resolve(schema: Schema, components: Components, seen: readonly string[]): Resolved {
  const name = refName(schema);
  if (name === undefined) return { schema, seen };
  if (seen.includes(name)) return { schema, seen, cycle: name };
  const target = components[name];
  if (!target) return { schema, seen, missing: String(schema.$ref) };
  return resolve(target, components, [...seen, name]);
}

const alternatives = (schema: Schema): [string, Schema[]] | undefined => {
  for (const [keyword, joiner] of [['oneOf', 'one of'], ['anyOf', 'any of'], ['allOf', 'all of']] as const) {
    const list = schema[keyword];
    if (Array.isArray(list)) return [joiner, list.filter(isSchema)];
  }
  return undefined;
};

/** Plain text (escape it): `string (int64)`, `array of ProblemDetail`, `object | null`. */
export function typeLabel(schema: Schema): string {
  const name = refName(schema);
  if (name !== undefined) return name;
  let label: string;
  const alts = alternatives(schema);
  if (alts) label = alts[1].map(typeLabel).join(alts[0] === 'all of' ? ' & ' : ' | ');
  else if (schema.type === 'array') label = isSchema(schema.items) ? `array of ${typeLabel(schema.items)}` : 'array';
  else if (typeof schema.type === 'string') label = schema.format ? `${schema.type} (${String(schema.format)})` : schema.type;
  else label = isSchema(schema.properties) ? 'object' : 'any';
  return schema.nullable === true ? `${label} | null` : label;
}

const code = (value: unknown): string => `<code>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</code>`;

const BOUNDS: readonly [string, string][] = [
  ['minimum', 'min'],
  ['maximum', 'max'],
  ['exclusiveMinimum', 'exclusive min'],
  ['exclusiveMaximum', 'exclusive max'],
  ['minLength', 'min length'],
  ['maxLength', 'max length'],
  ['minItems', 'min items'],
  ['maxItems', 'max items'],
  ['pattern', 'pattern'],
];

/** Enum values, default and bounds, as one line; empty when the schema has none. */
function factsHtml(schema: Schema): string {
  const facts: string[] = [];
  if (Array.isArray(schema.enum)) facts.push(`one of ${schema.enum.map(code).join(', ')}`);
  if (schema.default !== undefined) facts.push(`default ${code(schema.default)}`);
  for (const [keyword, label] of BOUNDS) {
    if (schema[keyword] !== undefined && typeof schema[keyword] !== 'boolean') facts.push(`${label} ${code(schema[keyword])}`);
  }
  if (isSchema(schema.properties)) {
    if (schema.additionalProperties === false) facts.push('no other fields');
  } else if (schema.additionalProperties === true || (schema.type === 'object' && schema.additionalProperties === undefined)) {
    facts.push('any fields');
  }
  return facts.length ? `<div class="facts">${facts.join(' · ')}</div>` : '';
}

const descriptionHtml = (schema: Schema): string =>
  typeof schema.description === 'string' && schema.description ? `<div class="desc">${escapeHtml(schema.description)}</div>` : '';

/** The fields below a schema: object properties, array items, map values, alternatives. */
function fieldsHtml(schema: Schema, components: Components, seen: readonly string[]): string {
  if (seen.length > MAX_DEPTH) return '<div class="note">…</div>';
  const parts: string[] = [];
  if (isSchema(schema.properties)) {
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const rows = Object.entries(schema.properties)
      .filter((entry): entry is [string, Schema] => isSchema(entry[1]))
      .map(([name, property]) => propertyHtml(name, property, required.has(name), components, seen));
    parts.push(`<ul class="props">${rows.join('')}</ul>`);
  }
  if (schema.type === 'array' && isSchema(schema.items)) {
    const items = resolve(schema.items, components, seen);
    const inner = nestedHtml(items, components);
    if (inner) parts.push(`<div class="sub">each item:</div>${inner}`);
  }
  if (isSchema(schema.additionalProperties)) {
    const values = resolve(schema.additionalProperties, components, seen);
    parts.push(`<div class="sub">other fields: ${escapeHtml(typeLabel(schema.additionalProperties))}</div>${nestedHtml(values, components)}`);
  }
  const alts = alternatives(schema);
  if (alts) {
    const items = alts[1].map((alt) => {
      const resolved = resolve(alt, components, seen);
      return `<li><span class="type">${escapeHtml(typeLabel(alt))}</span>${nestedHtml(resolved, components, true)}</li>`;
    });
    parts.push(`<div class="sub">${alts[0]}:</div><ul class="alts">${items.join('')}</ul>`);
  }
  return parts.join('');
}

function nestedHtml(resolved: Resolved, components: Components, withFacts = false): string {
  if (resolved.cycle) return `<div class="note">${escapeHtml(resolved.cycle)}, as above</div>`;
  if (resolved.missing) return `<div class="note">unresolved ${escapeHtml(resolved.missing)}</div>`;
  const facts = withFacts ? descriptionHtml(resolved.schema) + factsHtml(resolved.schema) : '';
  return facts + fieldsHtml(resolved.schema, components, resolved.seen);
}

function propertyHtml(name: string, property: Schema, required: boolean, components: Components, seen: readonly string[]): string {
  const resolved = resolve(property, components, seen);
  // A field's own description says what it is here; the referenced schema's is the fallback.
  const description = descriptionHtml(property) || (resolved.schema !== property ? descriptionHtml(resolved.schema) : '');
  const head =
    `<code class="name">${escapeHtml(name)}</code> <span class="type">${escapeHtml(typeLabel(property))}</span>` +
    (required ? ' <span class="req">required</span>' : '');
  const body = resolved.cycle || resolved.missing ? nestedHtml(resolved, components) : factsHtml(resolved.schema) + fieldsHtml(resolved.schema, components, resolved.seen);
  return `<li>${head}${description}${body}</li>`;
}

/** A whole schema, expanded: its description, facts and fields. */
export function schemaHtml(schema: Schema, components: Components): string {
  const resolved = resolve(schema, components, []);
  if (resolved.missing) return nestedHtml(resolved, components);
  return `<div class="schema">${descriptionHtml(resolved.schema)}${factsHtml(resolved.schema)}${fieldsHtml(resolved.schema, components, resolved.seen)}</div>`;
}
