import { propagateVariables, setLocalVariables } from '../../behaviors/variables.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { VariableDocumentValue } from '../../records.js';

export function variableDocumentUpdate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as VariableDocumentValue;
  const scope = ctx.state.elementInstances.get(value.scopeKey);
  if (!scope || !ctx.mayUseTenant(scope.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to update variables for element with key '${value.scopeKey}', but no such element was found`);
    return;
  }
  if (value.updateSemantics === 'LOCAL') setLocalVariables(ctx, scope.key, value.variables, scope.value);
  else propagateVariables(ctx, scope.key, value.variables);
  const key = ctx.nextKey();
  // The document belongs to the instance's tenant, whatever the request said.
  ctx.event('VARIABLE_DOCUMENT', 'UPDATED', key, { ...value, tenantId: scope.value.tenantId });
  ctx.respond(key, {});
}
