import type { ExecutableElement } from '../../model/types.js';
import type { ProcessInstanceValue } from '../records.js';

/** The record value of a new element instance inside `scope` (the flow scope's value). */
export function childValue(scope: ProcessInstanceValue, scopeKey: bigint, element: ExecutableElement): ProcessInstanceValue {
  return {
    bpmnProcessId: scope.bpmnProcessId,
    version: scope.version,
    processDefinitionKey: scope.processDefinitionKey,
    processInstanceKey: scope.processInstanceKey,
    elementId: element.id,
    flowScopeKey: scopeKey,
    bpmnElementType: element.type,
    bpmnEventType: element.eventType,
    parentProcessInstanceKey: scope.parentProcessInstanceKey,
    parentElementInstanceKey: scope.parentElementInstanceKey,
    tenantId: scope.tenantId,
  };
}
