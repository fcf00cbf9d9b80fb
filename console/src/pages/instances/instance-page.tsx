/**
 * /ui/instances/{processInstanceKey}: one process instance, live: its diagram (running elements,
 * incidents in red, the flows taken), incidents with Retry, variables by scope, its history, the
 * instances it called or was called by, and the actions Cancel, Modify and Migrate.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { BpmnDiagram } from '../../diagram/bpmn-diagram';
import type { BpmnView } from '../../diagram/bpmn-viewer';
import { flowNodeIds, type DiagramMarks } from '../../diagram/marks';
import { useLive } from '../../lib/live';
import { pageSizeFrom } from '../../lib/page-size';
import { Link } from '../../shell/link';
import { Permitted } from '../../shell/permitted';
import { useGrant } from '../../auth/permissions';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { getDefinitionXml } from '../processes/data';
import { useAction } from './action';
import {
  cancelInstance,
  getInstance,
  getInstanceStatistics,
  getTakenFlows,
  searchActiveIncidents,
  searchChildren,
  searchElementInstances,
  searchRunningElements,
  searchVariables,
  INSTANCE_PAGE_SIZE,
  type InstanceElementStatistics,
  type ProcessInstance,
} from './data';
import { formatDate, StateBadge } from './format';
import { HistorySection } from './history-section';
import { IncidentsSection } from './incidents-section';
import { elementParents } from './element-types';
import { MigratePanel } from './migrate-panel';
import { activatable, togglePick } from './modification';
import { ModifyPanel } from './modify-panel';
import { VariablesSection } from './variables-section';
import './instances.css';

type Panel = 'none' | 'modify' | 'migrate';

export function InstancePage({ instanceKey }: { readonly instanceKey: string }) {
  const instance = useLive((signal) => getInstance(instanceKey, signal), [instanceKey]);
  const definitionKey = instance.data?.processDefinitionKey;
  const xml = useLive((signal) => (definitionKey ? getDefinitionXml(definitionKey, signal) : Promise.resolve(undefined)), [definitionKey], 0);
  const statistics = useLive((signal) => getInstanceStatistics(instanceKey, signal), [instanceKey]);
  const flows = useLive((signal) => getTakenFlows(instanceKey, signal), [instanceKey]);
  // Long lists grow page by page: the polls read as many rows as the user asked to see.
  const rows = useMemo(() => pageSizeFrom(location.search, INSTANCE_PAGE_SIZE), []);
  const historyWant = useRef(rows);
  const variablesWant = useRef(rows);
  useEffect(() => {
    historyWant.current = rows;
    variablesWant.current = rows;
  }, [instanceKey, rows]);
  const elements = useLive((signal) => searchElementInstances(instanceKey, historyWant.current, rows, signal), [instanceKey]);
  const active = useLive((signal) => searchRunningElements(instanceKey, signal), [instanceKey]);
  const variables = useLive((signal) => searchVariables(instanceKey, variablesWant.current, rows, signal), [instanceKey]);
  const incidents = useLive((signal) => searchActiveIncidents(instanceKey, signal), [instanceKey]);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [view, setView] = useState<BpmnView | null>(null);
  const [panel, setPanel] = useState<Panel>('none');
  const [picked, setPicked] = useState<readonly string[]>([]);

  const refreshAll = () => {
    for (const live of [instance, statistics, flows, elements, active, variables, incidents]) live.refresh();
  };
  const i = instance.data;
  const running = i?.state === 'ACTIVE';
  const title = `Instance ${instanceKey}`;

  const marks = useMemo(() => diagramMarks(statistics.data, flows.data, panel === 'modify' ? picked : []), [statistics.data, flows.data, panel, picked]);
  const parents = useMemo(() => (xml.data ? elementParents(xml.data) : new Map<string, string | null>()), [xml.data]);
  const flowNodes = useMemo(() => {
    if (!view) return new Map<string, string>();
    const ids = flowNodeIds(view).filter((id) => activatable(view.types.get(id)));
    return new Map(ids.map((id) => [id, view.names.get(id) ?? id] as const));
  }, [view]);
  // Retry and variable edits need what Cancel needs; table rows drop them only when known missing.
  const update = useGrant(PROCESS_DEFINITION, UPDATE_PROCESS_INSTANCE, i?.processDefinitionId);
  const mayUpdate = update.ok || !update.known;
  const runningElements = active.data?.items ?? [];
  const pick = useCallback((id: string) => {
    if (flowNodes.has(id)) setPicked((now) => togglePick(now, id));
  }, [flowNodes]);

  return (
    <section>
      <PageHeader title={title}>{i ? <InstanceFacts instance={i} /> : null}</PageHeader>
      {instance.error ? <ErrorNotice error={instance.error} what="This process instance could not be read." /> : null}
      {!i && !instance.error ? <Loading what="the instance" /> : null}
      {i ? <CallLinks instance={i} /> : null}
      {i && running ? (
        <Permitted {...updateInstance(i)} what="Cancel, Modify and Migrate">
          <Actions instance={i} panel={panel} onPanel={setPanel} onChanged={refreshAll} />
        </Permitted>
      ) : null}
      {i && running && panel === 'modify' ? (
        <ModifyPanel
          processInstanceKey={instanceKey}
          elements={flowNodes}
          parents={parents}
          running={runningElements}
          runningCut={active.data?.more ?? false}
          picked={picked}
          onPick={pick}
          onDone={() => {
            setPicked([]);
            setPanel('none');
          }}
          onClose={() => setPanel('none')}
          onChanged={refreshAll}
        />
      ) : null}
      {i && running && panel === 'migrate' && xml.data ? (
        <MigratePanel instance={i} sourceXml={xml.data} runningElementIds={runningElements.map((e) => e.elementId)} onClose={() => setPanel('none')} onChanged={refreshAll} />
      ) : null}

      <h2>Diagram</h2>
      {xml.error ? <ErrorNotice error={xml.error} what="The BPMN XML could not be read." /> : null}
      {statistics.error ? <ErrorNotice error={statistics.error} what="The element statistics could not be read." /> : null}
      {!xml.data && !xml.error ? <Loading what="the diagram" /> : null}
      {xml.data ? (
        <BpmnDiagram
          xml={xml.data}
          label={`Diagram of ${i?.processDefinitionName ?? 'the process'}, instance ${instanceKey}`}
          marks={marks}
          onNames={setNames}
          onView={setView}
          onElementClick={panel === 'modify' ? pick : undefined}
        />
      ) : null}
      <Legend />
      <IncidentsSection incidents={incidents.data} error={incidents.error} names={names} retryable={mayUpdate} onChanged={refreshAll} />
      <VariablesSection
        processInstanceKey={instanceKey}
        variables={variables.data}
        error={variables.error}
        elements={[...(elements.data?.items ?? []), ...runningElements]}
        running={runningElements}
        pageSize={rows}
        onMore={() => {
          variablesWant.current += rows;
          variables.refresh();
        }}
        names={names}
        editable={running && mayUpdate}
        addable={running && i ? updateInstance(i) : null}
        onChanged={refreshAll}
      />
      <HistorySection
        elements={elements.data}
        error={elements.error}
        names={names}
        pageSize={rows}
        onMore={() => {
          historyWant.current += rows;
          elements.refresh();
        }}
      />
    </section>
  );
}

const PROCESS_DEFINITION = 'PROCESS_DEFINITION';
const UPDATE_PROCESS_INSTANCE = 'UPDATE_PROCESS_INSTANCE';

/** What the node checks before changing an instance (cancel, modify, migrate, variables, incidents). */
function updateInstance(i: ProcessInstance) {
  return { resourceType: PROCESS_DEFINITION, permission: UPDATE_PROCESS_INSTANCE, resourceId: i.processDefinitionId };
}

/** Running elements green, incidents red (over running), taken flows in the accent colour. */
function diagramMarks(statistics: readonly InstanceElementStatistics[] | undefined, flows: readonly string[] | undefined, picked: readonly string[]): DiagramMarks {
  const incident = (statistics ?? []).filter((s) => s.incidents > 0).map((s) => s.elementId);
  const active = (statistics ?? []).filter((s) => s.active > 0 && s.incidents === 0).map((s) => s.elementId);
  return { active, incident, taken: flows ?? [], picked };
}

function Legend() {
  return (
    <p class="legend">
      <span class="legend-item active">Running</span>
      <span class="legend-item incident">Incident</span>
      <span class="legend-item taken">Sequence flow taken</span>
    </p>
  );
}

function InstanceFacts({ instance: i }: { readonly instance: ProcessInstance }) {
  return (
    <dl class="facts">
      <dt>Process</dt>
      <dd>
        <Link to={`/processes/${i.processDefinitionKey}`}>{i.processDefinitionName || i.processDefinitionId}</Link>
      </dd>
      <dt>Version</dt>
      <dd>{i.processDefinitionVersion}</dd>
      <dt>State</dt>
      <dd class="instance-state">
        <StateBadge state={i.state} incident={i.hasIncident} />
      </dd>
      <dt>Started</dt>
      <dd>{formatDate(i.startDate)}</dd>
      {i.endDate ? (
        <>
          <dt>Ended</dt>
          <dd>{formatDate(i.endDate)}</dd>
        </>
      ) : null}
      {i.tenantId !== '<default>' ? (
        <>
          <dt>Tenant</dt>
          <dd>{i.tenantId}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** Call activities: the instance that called this one, and those this one called. */
function CallLinks({ instance }: { readonly instance: ProcessInstance }) {
  const children = useLive((signal) => searchChildren(instance.processInstanceKey, signal), [instance.processInstanceKey]);
  const parent = instance.parentProcessInstanceKey;
  if (!parent && !children.data?.length && !children.error) return null;
  return (
    <nav class="call-links" aria-label="Called instances">
      {parent ? (
        <p>
          Called by <Link to={`/instances/${parent}`}>instance {parent}</Link>
        </p>
      ) : null}
      {children.error ? <ErrorNotice error={children.error} what="The called instances could not be read." /> : null}
      {children.data && children.data.length > 0 ? (
        <p>
          Called:{' '}
          {children.data.map((c, n) => (
            <span key={c.processInstanceKey}>
              {n > 0 ? ', ' : ''}
              <Link to={`/instances/${c.processInstanceKey}`}>
                {c.processDefinitionName || c.processDefinitionId} {c.processInstanceKey}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
    </nav>
  );
}

function Actions({ instance, panel, onPanel, onChanged }: { readonly instance: ProcessInstance; readonly panel: Panel; readonly onPanel: (p: Panel) => void; readonly onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const cancel = useAction(onChanged);
  const toggle = (p: Panel) => onPanel(panel === p ? 'none' : p);
  return (
    <div class="instance-actions">
      <div class="actions" role="group" aria-label="Actions">
        <button type="button" aria-expanded={panel === 'modify'} onClick={() => toggle('modify')}>
          Modify
        </button>
        <button type="button" aria-expanded={panel === 'migrate'} onClick={() => toggle('migrate')}>
          Migrate
        </button>
        {confirming ? null : (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            Cancel instance
          </button>
        )}
      </div>
      {confirming ? (
        <div class="notice" role="group" aria-label="Confirm cancellation">
          <p>Cancel instance {instance.processInstanceKey}? Everything it runs stops; this cannot be undone.</p>
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={cancel.pending}
              onClick={() => void cancel.run(() => cancelInstance(instance.processInstanceKey), 'The instance is canceled.').then(() => setConfirming(false))}
            >
              Yes, cancel it
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it running
            </button>
          </div>
        </div>
      ) : null}
      {cancel.error ? <ErrorNotice error={cancel.error} what="The instance could not be canceled." /> : null}
    </div>
  );
}
