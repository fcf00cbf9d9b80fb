/**
 * What the ids and names of groups, roles and mapping rules may be, and which members each kind
 * of set takes (Zeebe 8.8: groups hold users, clients and mapping rules; roles also groups).
 * Shared by the REST edge (400 before anything is sent) and the engine (which must not trust
 * its callers). Each check answers Camunda-worded text, or null when the value is fine.
 */
export const ID_PATTERN = /^[a-zA-Z0-9_~@.+-]+$/;
export const MAX_ID_LENGTH = 256;
export const MAX_NAME_LENGTH = 256;

export type MemberSetKind = 'GROUP' | 'ROLE';

export const MEMBER_TYPES: Readonly<Record<MemberSetKind, readonly string[]>> = {
  GROUP: ['USER', 'CLIENT', 'MAPPING_RULE'],
  ROLE: ['USER', 'CLIENT', 'GROUP', 'MAPPING_RULE'],
};

export function idProblem(field: string, value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return `No ${field} provided`;
  if (value.length > MAX_ID_LENGTH) return `The provided ${field} exceeds the limit of ${MAX_ID_LENGTH} characters`;
  if (!ID_PATTERN.test(value)) return `The provided ${field} contains illegal characters. It must match the pattern '${ID_PATTERN.source}'`;
  return null;
}

export function textProblem(field: string, value: unknown, required: boolean): string | null {
  if (value === undefined || value === null) return required ? `No ${field} provided` : null;
  if (typeof value !== 'string') return `The provided ${field} must be a string`;
  if (required && value.trim() === '') return `No ${field} provided`;
  if (value.length > MAX_NAME_LENGTH) return `The provided ${field} exceeds the limit of ${MAX_NAME_LENGTH} characters`;
  return null;
}

export function memberTypeProblem(kind: MemberSetKind, entityType: unknown): string | null {
  if (typeof entityType === 'string' && MEMBER_TYPES[kind].includes(entityType)) return null;
  return `Expected entity type to be one of ${MEMBER_TYPES[kind].join(', ')} for a ${kind.toLowerCase()}, but was '${String(entityType)}'`;
}
