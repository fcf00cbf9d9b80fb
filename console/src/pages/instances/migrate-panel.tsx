/**
 * Migrate: pick a target definition, map each running element to one of the target's (the same
 * id unless picked otherwise), see what would be refused, then send it.
 */
import { TableWrap } from '../../shell/table-wrap';
import { useMemo, useState } from 'preact/hooks';
import { useLive } from '../../lib/live';
import { ErrorNotice, Loading } from '../../shell/page';
import { getDefinitionXml, searchDefinitions, type ProcessDefinition } from '../processes/data';
import { useAction } from './action';
import { migrateInstance, type ProcessInstance } from './data';
import { elementTypes } from './element-types';
import { mappingInstructions, migrationPlan } from './migration-plan';

interface Props {
  readonly instance: ProcessInstance;
  readonly sourceXml: string;
  readonly runningElementIds: readonly string[];
  readonly onClose: () => void;
  readonly onChanged: () => void;
}

export function MigratePanel({ instance, sourceXml, runningElementIds, onClose, onChanged }: Props) {
  const definitions = useLive((signal) => searchDefinitions({}, signal), [], 0);
  const targets = (definitions.data ?? []).filter((d) => d.processDefinitionKey !== instance.processDefinitionKey);
  const [target, setTarget] = useState('');
  const chosenTarget = target || defaultTarget(targets, instance)?.processDefinitionKey || '';
  const targetXml = useLive((signal) => (chosenTarget ? getDefinitionXml(chosenTarget, signal) : Promise.resolve('')), [chosenTarget], 0);
  const [chosen, setChosen] = useState<ReadonlyMap<string, string>>(new Map());
  const sourceTypes = useMemo(() => elementTypes(sourceXml), [sourceXml]);
  const targetTypes = useMemo(() => (targetXml.data ? elementTypes(targetXml.data) : new Map<string, string>()), [targetXml.data]);
  const plan = migrationPlan(runningElementIds, sourceTypes, targetTypes, chosen);
  const failing = plan.filter((row) => row.problem).length;
  const action = useAction(onChanged);

  return (
    <form
      class="panel migrate-panel"
      aria-labelledby="migrate-title"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(() => migrateInstance(instance.processInstanceKey, chosenTarget, mappingInstructions(plan)), 'The instance is migrated.').then((ok) => ok && onClose());
      }}
    >
      <h2 id="migrate-title">Migrate the instance</h2>
      {definitions.error ? <ErrorNotice error={definitions.error} what="The process definitions could not be read." /> : null}
      <div class="field">
        <label for="migrate-target">Target definition</label>
        <select
          id="migrate-target"
          value={chosenTarget}
          onChange={(e) => {
            setTarget(e.currentTarget.value);
            setChosen(new Map());
          }}
        >
          {chosenTarget ? null : <option value="">No other definition is deployed</option>}
          {targets.map((d) => (
            <option key={d.processDefinitionKey} value={d.processDefinitionKey}>
              {d.name || d.processDefinitionId} version {d.version}
            </option>
          ))}
        </select>
      </div>
      {targetXml.error ? <ErrorNotice error={targetXml.error} what="The target's BPMN could not be read." /> : null}
      {chosenTarget && !targetXml.data && !targetXml.error ? <Loading what="the target definition" /> : null}
      {targetXml.data ? (
        <>
          <TableWrap label="Element mapping, scrollable">
            <table class="data-table mapping-table" aria-label="Element mapping">
              <thead>
                <tr>
                  <th scope="col">Running element</th>
                  <th scope="col">Target element</th>
                  <th scope="col">Preview</th>
                </tr>
              </thead>
              <tbody>
                {plan.map((row) => (
                  <tr key={row.sourceElementId} data-source={row.sourceElementId}>
                    <th scope="row">
                      <code>{row.sourceElementId}</code> ({row.sourceType})
                    </th>
                    <td>
                      <select
                        aria-label={`Target of ${row.sourceElementId}`}
                        value={row.targetElementId}
                        onChange={(e) => setChosen(new Map(chosen).set(row.sourceElementId, e.currentTarget.value))}
                      >
                        <option value="">Not mapped</option>
                        {[...targetTypes].map(([id, type]) => (
                          <option key={id} value={id}>
                            {id} ({type})
                          </option>
                        ))}
                      </select>
                    </td>
                    <td class={row.problem ? 'plan-fail' : 'plan-ok'}>{row.problem ?? 'OK'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <p role="status">{failing === 0 ? `All ${plan.length} running elements are mapped.` : `${failing} of ${plan.length} running elements would be refused.`}</p>
        </>
      ) : null}
      {action.error ? <ErrorNotice error={action.error} what="The migration was refused." /> : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={!chosenTarget || !targetXml.data || failing > 0 || action.pending}>
          Migrate
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}

/** The newest other version of the same process, as Operate proposes. */
function defaultTarget(targets: readonly ProcessDefinition[], instance: ProcessInstance): ProcessDefinition | undefined {
  const same = targets.filter((d) => d.processDefinitionId === instance.processDefinitionId && d.tenantId === instance.tenantId);
  return same.sort((a, b) => b.version - a.version)[0] ?? targets[0];
}
