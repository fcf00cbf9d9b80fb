/** The instance's open incidents with their messages, and Retry (one more job retry, then resolve). */
import { TableWrap } from '../../shell/table-wrap';
import { ErrorNotice } from '../../shell/page';
import { useAction } from './action';
import { retryIncident, type Incident } from './data';
import { formatDate } from './format';

interface Props {
  readonly incidents: readonly Incident[] | undefined;
  readonly error: Error | undefined;
  readonly names: ReadonlyMap<string, string>;
  /** False when the user is known to lack the permission Retry needs. */
  readonly retryable: boolean;
  readonly onChanged: () => void;
}

export function IncidentsSection({ incidents, error, names, retryable, onChanged }: Props) {
  const action = useAction(onChanged);
  if (!error && (!incidents || incidents.length === 0) && !action.done) return null;
  return (
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incidents</h2>
      {error ? <ErrorNotice error={error} what="The incidents could not be read." /> : null}
      {action.error ? <ErrorNotice error={action.error} what="The retry failed." /> : null}
      {action.done ? (
        <p class="notice success" role="status">
          {action.done}
        </p>
      ) : null}
      {incidents && incidents.length > 0 ? (
        <TableWrap label="Open incidents, scrollable">
          <table class="data-table" aria-label="Open incidents">
            <thead>
              <tr>
                <th scope="col">Element</th>
                <th scope="col">Type</th>
                <th scope="col">Message</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((incident) => {
                const element = names.get(incident.elementId) ?? incident.elementId;
                return (
                  <tr key={incident.incidentKey} class="row-incident" data-incident-key={incident.incidentKey}>
                    <th scope="row">{element}</th>
                    <td>
                      <code>{incident.errorType}</code>
                    </td>
                    <td class="incident-message">{incident.errorMessage}</td>
                    <td>{formatDate(incident.creationTime)}</td>
                    <td>
                      {retryable ? (
                        <button
                          type="button"
                          disabled={action.pending}
                          aria-label={`Retry ${element}`}
                          onClick={() => void action.run(() => retryIncident(incident), `The incident at ${element} is resolved; the element runs again.`)}
                        >
                          Retry
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </section>
  );
}
