/** /ui/decisions: every deployed decision with its versions. */
import { useLive } from '../../lib/live';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { Link } from '../../shell/link';
import { Readable } from '../../shell/readable';
import { TableWrap } from '../../shell/table-wrap';
import { groupByDecision, PAGE_LIMIT, searchDecisions } from './data';

export function DecisionsPage() {
  return (
    <section>
      <PageHeader title="Decisions" />
      <Readable resourceType="DECISION_DEFINITION" permission="READ_DECISION_DEFINITION" what="The decision definitions" narrowed>
        <DecisionList />
      </Readable>
    </section>
  );
}

function DecisionList() {
  const definitions = useLive((signal) => searchDecisions({}, signal), []);
  const groups = definitions.data ? groupByDecision(definitions.data) : undefined;
  const multiTenant = groups?.some((g) => g.tenantId !== '<default>') ?? false;

  return (
    <>
      {definitions.error ? <ErrorNotice error={definitions.error} what="The decision definitions could not be read." /> : null}
      {!groups && !definitions.error ? <Loading what="decision definitions" /> : null}
      {groups && groups.length === 0 ? <p class="empty">No decision is deployed yet. Deploy a .dmn file on the Processes page.</p> : null}
      {groups && groups.length > 0 ? (
        <TableWrap label="Decision definitions">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Decision</th>
                <th scope="col">Id</th>
                <th scope="col">Requirements</th>
                {multiTenant ? <th scope="col">Tenant</th> : null}
                <th scope="col">Versions</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={`${group.tenantId}/${group.decisionDefinitionId}`}>
                  <td>
                    <Link to={`/decisions/${group.versions[0]!.decisionDefinitionKey}`}>{group.name}</Link>
                  </td>
                  <td>
                    <code>{group.decisionDefinitionId}</code>
                  </td>
                  <td>
                    <code>{group.versions[0]!.decisionRequirementsId}</code>
                  </td>
                  {multiTenant ? <td>{group.tenantId}</td> : null}
                  <td>
                    <ul class="versions" aria-label={`Versions of ${group.name}`}>
                      {group.versions.map((v) => (
                        <li key={v.decisionDefinitionKey}>
                          <Link to={`/decisions/${v.decisionDefinitionKey}`} aria-label={`${group.name} v${v.version}`}>
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
      {definitions.data && definitions.data.length >= PAGE_LIMIT ? <p class="notice">Showing the first {PAGE_LIMIT} definitions.</p> : null}
    </>
  );
}
