/**
 * A migration's preview, worked out in the browser before anything is sent: every active
 * element needs a target element of the same type (what Zen and Camunda check), mapped by id
 * unless the user picks another. The server checks again; this says beforehand what would fail.
 */

export interface PlanRow {
  readonly sourceElementId: string;
  readonly sourceType: string;
  readonly targetElementId: string;
  /** Why this mapping would be refused; undefined when it is fine. */
  readonly problem?: string;
}

/** The rows for the active elements, with `chosen` overriding the default (same id). */
export function migrationPlan(
  activeElementIds: readonly string[],
  sourceTypes: ReadonlyMap<string, string>,
  targetTypes: ReadonlyMap<string, string>,
  chosen: ReadonlyMap<string, string>,
): PlanRow[] {
  return [...new Set(activeElementIds)].map((sourceElementId) => {
    const sourceType = sourceTypes.get(sourceElementId) ?? 'unknown';
    const targetElementId = chosen.get(sourceElementId) ?? (targetTypes.has(sourceElementId) ? sourceElementId : '');
    const targetType = targetTypes.get(targetElementId);
    let problem: string | undefined;
    if (!targetElementId) problem = `No element '${sourceElementId}' in the target: pick one`;
    else if (!targetType) problem = `No element '${targetElementId}' in the target`;
    else if (targetType !== sourceType) problem = `A ${sourceType} cannot become a ${targetType}`;
    return { sourceElementId, sourceType, targetElementId, ...(problem ? { problem } : {}) };
  });
}

/** The mapping instructions the API takes (rows without a target left out). */
export const mappingInstructions = (plan: readonly PlanRow[]) =>
  plan.filter((row) => row.targetElementId).map((row) => ({ sourceElementId: row.sourceElementId, targetElementId: row.targetElementId }));
