/** /ui/processes: every deployed process with its versions, and the deploy panel. */
import { useState } from 'preact/hooks';
import { useLive } from '../../lib/live';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { Link } from '../../shell/link';
import { groupByProcess, searchDefinitions, DEFINITION_PAGE_LIMIT } from './data';
import { DeployPanel } from './deploy-panel';
import { TableWrap } from '../../shell/table-wrap';
import { Permitted } from '../../shell/permitted';
import { Readable } from '../../shell/readable';

export function ProcessesPage() {
  // Bumped by a deployment: the list reloads at once rather than at its next poll.
  const [deployed, setDeployed] = useState(0);
  return (
    <section>
      <PageHeader title="Processes" />
      <Permitted resourceType="RESOURCE" permission="CREATE" what="Deploying">
        <DeployPanel onDeployed={() => setDeployed((n) => n + 1)} />
      </Permitted>
      <h2>Process definitions</h2>
      <Readable resourceType="PROCESS_DEFINITION" permission="READ_PROCESS_DEFINITION" what="The process definitions" narrowed>
        <DefinitionList deployed={deployed} />
      </Readable>
    </section>
  );
}

function DefinitionList({ deployed }: { readonly deployed: number }) {
  const definitions = useLive((signal) => searchDefinitions({}, signal), [deployed]);
  const groups = definitions.data ? groupByProcess(definitions.data) : undefined;
  const multiTenant = groups?.some((g) => g.tenantId !== '<default>') ?? false;

  return (
    <>
      {definitions.error ? <ErrorNotice error={definitions.error} what="The process definitions could not be read." /> : null}
      {!groups && !definitions.error ? <Loading what="process definitions" /> : null}
      {groups && groups.length === 0 ? <p class="empty">No process is deployed yet. Deploy a .bpmn file above.</p> : null}
      {groups && groups.length > 0 ? (
        <TableWrap label="Process definitions">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Process</th>
                <th scope="col">Id</th>
                {multiTenant ? <th scope="col">Tenant</th> : null}
                <th scope="col">Versions</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={`${group.tenantId}/${group.processDefinitionId}`}>
                  <td>
                    <Link to={`/processes/${group.versions[0]!.processDefinitionKey}`}>{group.name}</Link>
                  </td>
                  <td>
                    <code>{group.processDefinitionId}</code>
                  </td>
                  {multiTenant ? <td>{group.tenantId}</td> : null}
                  <td>
                    <ul class="versions" aria-label={`Versions of ${group.name}`}>
                      {group.versions.map((v) => (
                        <li key={v.processDefinitionKey}>
                          <Link to={`/processes/${v.processDefinitionKey}`} aria-label={`${group.name} v${v.version}`}>
                            v{v.version}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {definitions.data && definitions.data.length >= DEFINITION_PAGE_LIMIT ? (
        <p class="notice">Showing the first {DEFINITION_PAGE_LIMIT} definitions.</p>
      ) : null}
    </>
  );
}
