/**
 * GET /v2/docs: the OpenAPI document rendered as one self-contained HTML page, written from the
 * document itself so the two cannot drift. No external script, style or font (nodes often run
 * without internet); the only links out are to Camunda's docs.
 */
import { createHash } from 'node:crypto';
import { escapeHtml, schemaHtml, typeLabel, type Components, type Schema } from './docs-schemas.js';

/** The only absolute URLs the page links to; any other URL in the document is shown as text. */
const LINKABLE = 'https://docs.camunda.io/';

interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly externalDocs?: { readonly url?: string; readonly description?: string };
  readonly parameters?: readonly { name?: string; in?: string; required?: boolean; description?: string; schema?: Schema }[];
  readonly requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  readonly responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

interface Document {
  readonly info?: { title?: string; version?: string; description?: string };
  readonly externalDocs?: { url?: string; description?: string };
  readonly servers?: readonly { url?: string }[];
  readonly tags?: readonly { name?: string }[];
  readonly paths?: Record<string, Record<string, Operation>>;
  readonly components?: { schemas?: Components };
}

export interface DocsPage {
  readonly html: string;
  /** Allows exactly the page's own inline style and script (by hash), nothing else. */
  readonly contentSecurityPolicy: string;
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#24292f;color:#fff;padding:16px 24px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:4px 0;max-width:70em;color:#d0d7de}header a{color:#9ecbff}
main{padding:8px 24px 48px;max-width:72em}
.bar{position:sticky;top:0;background:#fafafa;padding:10px 0;display:flex;gap:8px;align-items:center;border-bottom:1px solid #ddd;z-index:1}
#filter{flex:1;font-size:15px;padding:6px 8px}
nav{margin:10px 0}nav a{margin-right:12px;white-space:nowrap}
h2{margin:28px 0 8px;border-bottom:1px solid #ccc}
details.op{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:6px 0}
details.op>summary{cursor:pointer;padding:6px 10px;list-style-position:outside}
.op>div{padding:4px 14px 12px;border-top:1px solid #eee}
.method{display:inline-block;min-width:4.2em;font:bold 12px monospace;text-align:center;border-radius:4px;padding:2px 4px;color:#fff;background:#6e7781}
.GET{background:#0969da}.POST{background:#1a7f37}.PUT{background:#9a6700}.PATCH{background:#8250df}.DELETE{background:#cf222e}
.path{font-weight:600}.opid{color:#6e7781;font:12px monospace;margin-left:8px}
h4{margin:14px 0 4px}h5{margin:10px 0 2px;font-size:13px}
table{border-collapse:collapse}td,th{border:1px solid #e1e4e8;padding:3px 8px;text-align:left;vertical-align:top}
.desc{white-space:pre-line;color:#333}.facts,.note,.sub{color:#57606a;font-size:13px}
ul.props,ul.alts{margin:2px 0;padding-left:20px;border-left:2px solid #eaeef2}ul.props>li{margin:3px 0}
.name{font-weight:600}.type{color:#8250df;font:13px monospace}.req{color:#cf222e;font-size:12px}
code{font-size:13px}[hidden]{display:none!important}
`;

// Hides the operations whose method, path, id, summary, tag or description lack a typed word.
const SCRIPT = `
const box=document.getElementById('filter'),count=document.getElementById('count');
const ops=[...document.querySelectorAll('details.op')],tags=[...document.querySelectorAll('section.tag')];
box.addEventListener('input',()=>{
const words=box.value.toLowerCase().split(/\\s+/).filter(Boolean);let shown=0;
for(const op of ops){op.hidden=!words.every((w)=>op.dataset.search.includes(w));if(!op.hidden)shown++;}
for(const tag of tags)tag.hidden=!tag.querySelector('details.op:not([hidden])');
count.textContent=shown+' of '+ops.length+' operations';});
for(const [id,open] of [['expand',true],['collapse',false]])
document.getElementById(id).addEventListener('click',()=>{for(const op of ops)if(!op.hidden)op.open=open;});
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const CONTENT_SECURITY_POLICY =
  `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; ` +
  `base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A link when the URL is Camunda's docs, else the URL as text: nothing else leaves the page. */
function linkHtml(url: unknown, label: string): string {
  const href = text(url);
  if (!href) return '';
  if (!href.startsWith(LINKABLE)) return `${escapeHtml(label)}: <code>${escapeHtml(href)}</code>`;
  return `<a href="${escapeHtml(href)}" rel="noreferrer">${escapeHtml(label)}</a>`;
}

const slug = (value: string): string => value.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function renderDocsPage(document: Record<string, unknown>): DocsPage {
  const doc = document as Document;
  const components = doc.components?.schemas ?? {};
  const prefix = text(doc.servers?.[0]?.url);

  const byTag = new Map<string, string[]>();
  for (const name of doc.tags ?? []) if (name.name) byTag.set(name.name, []);
  let total = 0;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(operationHtml(method.toUpperCase(), prefix + path, op, tag, components));
      total++;
    }
  }
  const tags = [...byTag].filter(([, ops]) => ops.length > 0);

  const info = doc.info ?? {};
  const title = `${text(info.title) || 'API'} ${text(info.version)}`.trim();
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text(info.description))}</p>
<p>${linkHtml(doc.externalDocs?.url, text(doc.externalDocs?.description) || 'Camunda docs')} · the same as JSON: <a href="${escapeHtml(prefix)}/openapi.json">${escapeHtml(prefix)}/openapi.json</a></p></header>
<main><div class="bar"><input id="filter" type="search" placeholder="Filter operations: path, operationId, words…" autofocus>
<span id="count">${total} operations</span><button id="expand" type="button">Expand all</button><button id="collapse" type="button">Collapse all</button></div>
<nav>${tags.map(([tag, ops]) => `<a href="#tag-${escapeHtml(slug(tag))}">${escapeHtml(tag)} (${ops.length})</a>`).join(' ')}</nav>
${tags.map(([tag, ops]) => `<section class="tag" id="tag-${escapeHtml(slug(tag))}"><h2>${escapeHtml(tag)}</h2>\n${ops.join('\n')}</section>`).join('\n')}
</main><script>${SCRIPT}</script></body></html>
`;
  return { html, contentSecurityPolicy: CONTENT_SECURITY_POLICY };
}

function operationHtml(method: string, path: string, op: Operation, tag: string, components: Components): string {
  const id = text(op.operationId);
  const search = [method, path, id, op.summary, tag, op.description].map(text).join(' ').toLowerCase();
  const parts: string[] = [];
  if (op.description) parts.push(`<p class="desc">${escapeHtml(op.description)}</p>`);
  if (op.externalDocs?.url) parts.push(`<p>${linkHtml(op.externalDocs.url, text(op.externalDocs.description) || 'Camunda docs')}</p>`);
  if (op.parameters?.length) parts.push(parametersHtml(op.parameters));
  if (op.requestBody) parts.push(requestBodyHtml(op.requestBody, components));
  if (op.responses) parts.push(responsesHtml(op.responses, components));
  return (
    `<details class="op" id="${escapeHtml(id)}" data-search="${escapeHtml(search)}"><summary>` +
    `<span class="method ${escapeHtml(method)}">${escapeHtml(method)}</span> <code class="path">${escapeHtml(path)}</code> ` +
    `${escapeHtml(text(op.summary))}<span class="opid">${escapeHtml(id)}</span></summary><div>${parts.join('\n')}</div></details>`
  );
}

function parametersHtml(parameters: NonNullable<Operation['parameters']>): string {
  const rows = parameters.map((p) => {
    const schema = p.schema ?? {};
    return (
      `<tr><td><code class="name">${escapeHtml(text(p.name))}</code></td><td>${escapeHtml(text(p.in))}</td>` +
      `<td><span class="type">${escapeHtml(typeLabel(schema))}</span></td><td>${p.required ? '<span class="req">required</span>' : 'optional'}</td>` +
      `<td>${escapeHtml(text(p.description))}</td></tr>`
    );
  });
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th></th><th>description</th></tr>${rows.join('')}</table>`;
}

function requestBodyHtml(body: NonNullable<Operation['requestBody']>, components: Components): string {
  const contents = Object.entries(body.content ?? {}).map(
    ([type, { schema }]) =>
      `<h5>${escapeHtml(type)}${schema ? ` · <span class="type">${escapeHtml(typeLabel(schema))}</span>` : ''}</h5>` +
      (schema ? schemaHtml(schema, components) : ''),
  );
  return `<h4>Request body <span class="${body.required ? 'req' : 'facts'}">${body.required ? 'required' : 'optional'}</span></h4>${contents.join('')}`;
}

/** A table of statuses, then each distinct body schema once (errors share ProblemDetail). */
function responsesHtml(responses: NonNullable<Operation['responses']>, components: Components): string {
  const bodies = new Map<string, { label: string; schema: Schema; statuses: string[] }>();
  const rows = Object.entries(responses).map(([status, response]) => {
    const cells = Object.entries(response.content ?? {}).map(([type, { schema }]) => {
      if (!schema) return escapeHtml(type);
      const label = typeLabel(schema);
      const key = JSON.stringify(schema);
      if (!bodies.has(key)) bodies.set(key, { label, schema, statuses: [] });
      bodies.get(key)!.statuses.push(status);
      return `${escapeHtml(type)} · <span class="type">${escapeHtml(label)}</span>`;
    });
    return `<tr><td><b>${escapeHtml(status)}</b></td><td class="desc">${escapeHtml(text(response.description))}</td><td>${cells.join('<br>') || '—'}</td></tr>`;
  });
  const schemas = [...bodies.values()]
    .filter(({ schema }) => typeLabel(schema) !== 'string')
    .map(({ label, schema, statuses }) => `<h5>${escapeHtml(statuses.join(', '))} · <span class="type">${escapeHtml(label)}</span></h5>${schemaHtml(schema, components)}`);
  return `<h4>Responses</h4><table><tr><th>status</th><th>description</th><th>body</th></tr>${rows.join('')}</table>${schemas.join('')}`;
}
