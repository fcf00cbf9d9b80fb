/** /ui/processes/{processDefinitionKey}: one version of a process, its diagram with live counts. */
import { useState } from 'preact/hooks';
import { BpmnDiagram } from '../../diagram/bpmn-diagram';
import { useLive } from '../../lib/live';
import { Link } from '../../shell/link';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { getDefinition, getDefinitionXml, getElementStatistics, searchDefinitions, type ElementStatistics, type ProcessDefinition } from './data';
import { TableWrap } from '../../shell/table-wrap';

export function DefinitionPage({ definitionKey }: { readonly definitionKey: string }) {
  const definition = useLive((signal) => getDefinition(definitionKey, signal), [definitionKey], 0);
  const xml = useLive((signal) => getDefinitionXml(definitionKey, signal), [definitionKey], 0);
  const statistics = useLive((signal) => getElementStatistics(definitionKey, signal), [definitionKey]);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const d = definition.data;
  const title = d ? d.name || d.processDefinitionId : 'Process';

  return (
    <section>
      <PageHeader title={title}>{d ? <DefinitionFacts definition={d} /> : null}</PageHeader>
      {definition.error ? <ErrorNotice error={definition.error} what="This process definition could not be read." /> : null}
      {d ? <Versions definition={d} /> : null}
      <h2>Diagram</h2>
      {xml.error ? <ErrorNotice error={xml.error} what="The BPMN XML could not be read." /> : null}
      {!xml.data && !xml.error ? <Loading what="the diagram" /> : null}
      {xml.data ? <BpmnDiagram xml={xml.data} label={`Diagram of ${title}`} counts={statistics.data} onNames={setNames} /> : null}
      <CountsTable statistics={statistics.data} error={statistics.error} names={names} />
    </section>
  );
}

function DefinitionFacts({ definition: d }: { readonly definition: ProcessDefinition }) {
  return (
    <dl class="facts">
      <dt>Id</dt>
      <dd>
        <code>{d.processDefinitionId}</code>
      </dd>
      <dt>Version</dt>
      <dd>
        {d.version}
        {d.versionTag ? ` (${d.versionTag})` : ''}
      </dd>
      <dt>Key</dt>
      <dd>
        <code>{d.processDefinitionKey}</code>
      </dd>
      <dt>Resource</dt>
      <dd>{d.resourceName}</dd>
      {d.tenantId !== '<default>' ? (
        <>
          <dt>Tenant</dt>
          <dd>{d.tenantId}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Versions({ definition }: { readonly definition: ProcessDefinition }) {
  const versions = useLive(
    (signal) => searchDefinitions({ processDefinitionId: definition.processDefinitionId, tenantId: definition.tenantId }, signal),
    [definition.processDefinitionId, definition.tenantId],
  );
  if (!versions.data || versions.data.length < 2) return null;
  return (
    <nav class="versions" aria-label="Versions">
      <span>Versions:</span>
      <ul>
        {versions.data.map((v) => (
          <li key={v.processDefinitionKey}>
            <Link to={`/processes/${v.processDefinitionKey}`} aria-current={v.processDefinitionKey === definition.processDefinitionKey ? 'page' : undefined}>
              v{v.version}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function CountsTable({ statistics, error, names }: { readonly statistics?: ElementStatistics[]; readonly error?: Error; readonly names: ReadonlyMap<string, string> }) {
  return (
    <>
      <h2>Element instances</h2>
      {error ? <ErrorNotice error={error} what="The element statistics could not be read." /> : null}
      {statistics && statistics.length === 0 ? <p class="empty">No instance of this version has run yet.</p> : null}
      {statistics && statistics.length > 0 ? (
        <TableWrap label="Element instances by element">
          <table class="data-table numbers">
            <thead>
              <tr>
                <th scope="col">Element</th>
                <th scope="col">Active</th>
                <th scope="col">Incidents</th>
                <th scope="col">Completed</th>
                <th scope="col">Canceled</th>
              </tr>
            </thead>
            <tbody>
              {statistics.map((s) => (
                <tr key={s.elementId} data-element-id={s.elementId}>
                  <th scope="row">{names.get(s.elementId) ?? s.elementId}</th>
                  <td>{s.active}</td>
                  <td class={s.incidents ? 'has-incidents' : undefined}>{s.incidents}</td>
                  <td>{s.completed}</td>
                  <td>{s.canceled}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}
