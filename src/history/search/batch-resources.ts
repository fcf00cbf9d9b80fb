/**
 * What batch operations read of the history that Camunda's API does not show (spread into
 * resources.ts; no REST route serves it): an element instance's flow scope, which a move of a
 * modification batch activates its target in.
 */
import { key, keyText, text, type Resource } from './fields.js';

export const ELEMENT_INSTANCE_SCOPES: Resource = {
  name: 'element instance',
  table: 'h_element_instance',
  keyField: 'elementInstanceKey',
  fields: {
    elementInstanceKey: key('key'),
    processInstanceKey: key('process_instance_key'),
    elementId: text('element_id'),
    state: text('state'),
  },
  toItem: (r) => ({ elementInstanceKey: keyText(r.key), elementId: r.element_id, flowScopeKey: keyText(r.flow_scope_key) }),
};

export const BATCH_RESOURCES = { elementInstanceScopes: ELEMENT_INSTANCE_SCOPES } as const;
