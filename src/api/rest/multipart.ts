/**
 * A small multipart/form-data parser (RFC 7578 over RFC 2046) for deployments. It works on the
 * whole body, which fastify has already read under the request size limit, and bounds everything
 * else a client controls: the number of parts, the size of each part's header block, the boundary.
 * Every failure is an INVALID_ARGUMENT ZenError that says what is wrong.
 */
import { ZenError } from '../../errors.js';

export interface FormPart {
  /** The form field name (`name` in Content-Disposition). */
  readonly name: string;
  /** The file name for file parts (`filename` or `filename*`), else null. */
  readonly filename: string | null;
  readonly contentType: string | null;
  readonly data: Buffer;
}

export interface MultipartLimits {
  /** Most parts accepted; the next one fails with `tooManyParts()`. */
  readonly maxParts: number;
  readonly tooManyParts: () => Error;
  /** Largest header block of one part, in bytes. */
  readonly maxHeaderBytes: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const DASH = 0x2d;
const SPACE = 0x20;
const TAB = 0x09;
/** RFC 2046 bchars; a boundary is 1 to 70 of them and does not end with a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

function malformed(reason: string): ZenError {
  return new ZenError('INVALID_ARGUMENT', `Malformed multipart/form-data body: ${reason}`);
}

/** Whether a Content-Type header names multipart/form-data. */
export function isMultipartFormData(contentType: string | undefined): boolean {
  return typeof contentType === 'string' && /^multipart\/form-data\s*(;|$)/i.test(contentType.trim());
}

/** The boundary parameter of a multipart/form-data Content-Type. */
export function boundaryOf(contentType: string): string {
  const params = parseParameters(contentType.slice(contentType.indexOf(';') + 1));
  const boundary = params.get('boundary');
  if (boundary === undefined || !BOUNDARY.test(boundary)) {
    throw malformed(
      boundary === undefined
        ? 'the Content-Type header has no boundary parameter'
        : `the boundary '${boundary.slice(0, 80)}' is not a valid RFC 2046 boundary (1 to 70 characters)`,
    );
  }
  return boundary;
}

export function parseMultipart(body: Buffer, boundary: string, limits: MultipartLimits): FormPart[] {
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
  const delimiter = Buffer.concat([CRLF, dashBoundary]);

  // The first boundary starts the body or follows a preamble and a line break.
  let pos: number;
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) {
    pos = 0;
  } else {
    const found = body.indexOf(delimiter);
    if (found === -1) throw malformed(`the body does not contain the boundary '${boundary}'`);
    pos = found + CRLF.length;
  }

  const parts: FormPart[] = [];
  for (;;) {
    pos += dashBoundary.length;
    if (body[pos] === DASH && body[pos + 1] === DASH) return parts; // close delimiter; the epilogue is ignored
    while (body[pos] === SPACE || body[pos] === TAB) pos++; // transport padding
    if (!startsWith(body, pos, CRLF)) {
      throw malformed(
        pos >= body.length ? 'the body ends without the closing boundary' : 'a boundary is not followed by a line break',
      );
    }
    pos += CRLF.length;
    if (parts.length >= limits.maxParts) throw limits.tooManyParts();

    // Header block: empty (a bare CRLF) or lines up to an empty line.
    let headerText = '';
    let contentStart: number;
    if (startsWith(body, pos, CRLF)) {
      contentStart = pos + CRLF.length;
    } else {
      const headerEnd = body.indexOf(HEADER_END, pos);
      if (headerEnd === -1 || headerEnd - pos > limits.maxHeaderBytes) {
        throw malformed(
          headerEnd === -1
            ? `the headers of part ${parts.length + 1} do not end with an empty line`
            : `the headers of part ${parts.length + 1} are longer than ${limits.maxHeaderBytes} bytes`,
        );
      }
      headerText = body.toString('utf8', pos, headerEnd);
      contentStart = headerEnd + HEADER_END.length;
    }

    const next = body.indexOf(delimiter, contentStart);
    if (next === -1) throw malformed(`part ${parts.length + 1} is not followed by a boundary (truncated body?)`);
    parts.push({ ...parsePartHeaders(headerText, parts.length + 1), data: body.subarray(contentStart, next) });
    pos = next + CRLF.length;
  }
}

function startsWith(buffer: Buffer, at: number, prefix: Buffer): boolean {
  return at + prefix.length <= buffer.length && buffer.subarray(at, at + prefix.length).equals(prefix);
}

function parsePartHeaders(text: string, index: number): Omit<FormPart, 'data'> {
  let disposition: string | null = null;
  let contentType: string | null = null;
  for (const line of text === '' ? [] : text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`part ${index} has a header line without a name: '${line.slice(0, 80)}'`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
    else if (name === 'content-transfer-encoding' && !/^(7bit|8bit|binary)$/i.test(value)) {
      throw malformed(`part ${index} uses Content-Transfer-Encoding '${value}'; send the content as binary`);
    }
  }
  if (disposition === null || !/^form-data\s*(;|$)/i.test(disposition)) {
    throw malformed(`part ${index} has no 'Content-Disposition: form-data' header`);
  }
  const params = parseParameters(disposition.slice(disposition.indexOf(';') + 1));
  const name = params.get('name');
  if (name === undefined) throw malformed(`part ${index} has no field name in its Content-Disposition header`);
  const filename = params.get('filename*') ?? params.get('filename') ?? null;
  return { name, filename, contentType };
}

/**
 * `; a=b; c="d \" e"; f*=UTF-8''g%20h` → a map with lower-cased names. Quoted strings may escape
 * any character with a backslash; `name*` values (RFC 8187) are percent-decoded.
 */
function parseParameters(text: string): Map<string, string> {
  const params = new Map<string, string>();
  let i = 0;
  const skip = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === ';')) i++;
  };
  for (skip(); i < text.length; skip()) {
    const eq = text.indexOf('=', i);
    if (eq === -1) break;
    const name = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i++]!;
        if (c === '\\' && i < text.length) value += text[i++];
        else if (c === '"') {
          closed = true;
          break;
        } else value += c;
      }
      if (!closed) throw malformed(`the quoted value of parameter '${name}' is not closed`);
    } else {
      const end = text.indexOf(';', i);
      value = text.slice(i, end === -1 ? text.length : end).trim();
      i = end === -1 ? text.length : end;
    }
    if (name.endsWith('*')) value = decodeExtValue(name, value);
    if (name !== '' && !params.has(name)) params.set(name, value);
  }
  return params;
}

/** RFC 8187 ext-value: charset'language'percent-encoded-bytes. */
function decodeExtValue(name: string, value: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match) throw malformed(`parameter '${name}' is not of the form charset'language'value`);
  const charset = match[1]!.toLowerCase();
  const bytes: number[] = [];
  const encoded = match[2]!;
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '%') {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw malformed(`parameter '${name}' has a bad percent-encoding`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(encoded.charCodeAt(i) & 0xff);
    }
  }
  if (charset === 'utf-8') return Buffer.from(bytes).toString('utf8');
  if (charset === 'iso-8859-1') return Buffer.from(bytes).toString('latin1');
  throw malformed(`parameter '${name}' uses charset '${charset}'; use UTF-8`);
}
