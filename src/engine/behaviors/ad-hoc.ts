/**
 * Running elements inside an ad-hoc sub-process: each activation gets an inner instance of its
 * own (`<id>#innerInstance`, Zeebe's AD_HOC_SUB_PROCESS_INNER_INSTANCE), which is the element's
 * variable scope and completes when the path it started ends.
 */
import type { ExecutableElement } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { Variables } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { childValue } from './element-value.js';

export function activateAdHocElement(ctx: ProcessingContext, adHoc: ElementInstance, element: ExecutableElement, elementId: string, variables?: Variables): void {
  const model = ctx.models.get(adHoc.value.processDefinitionKey);
  const inner = model.elements.get(element.adHoc!.innerInstanceId)!;
  ctx.enqueue({
    kind: 'ACTIVATE',
    key: ctx.nextKey(),
    value: childValue(adHoc.value, adHoc.key, inner),
    startAt: [elementId],
    ...(variables && Object.keys(variables).length > 0 ? { localVariables: variables } : {}),
  });
}

/** The ids among `elementIds` that the ad-hoc sub-process cannot activate, quoted for a message. */
export function unknownAdHocElements(element: ExecutableElement, elementIds: readonly string[]): string[] {
  const known = new Set(element.adHoc!.activityIds);
  return elementIds.filter((id) => !known.has(id)).map((id) => `'${id}'`);
}
