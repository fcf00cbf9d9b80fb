/** The latest evaluations of a decision; choosing one shows its details and marks its rules. */
import { Link } from '../../shell/link';
import { TableWrap } from '../../shell/table-wrap';
import { EVALUATION_LIMIT, type DecisionInstance } from './data';

interface Props {
  readonly evaluations: readonly DecisionInstance[];
  readonly shown: string | null;
  readonly onChoose: (id: string) => void;
}

export function EvaluationList({ evaluations, shown, onChoose }: Props) {
  return (
    <>
      <h3>Latest evaluations</h3>
      <TableWrap label="Latest evaluations">
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">Evaluated</th>
              <th scope="col">State</th>
              <th scope="col">Result</th>
              <th scope="col">Process instance</th>
            </tr>
          </thead>
          <tbody>
            {evaluations.map((e) => {
              const current = e.decisionEvaluationInstanceKey === shown;
              return (
                <tr key={e.decisionEvaluationInstanceKey} class={current ? 'current' : undefined}>
                  <td>
                    <button type="button" class="link-like" aria-pressed={current} onClick={() => onChoose(e.decisionEvaluationInstanceKey)}>
                      {formatDate(e.evaluationDate)}
                    </button>
                  </td>
                  <td>
                    <span class={`badge state-${e.state.toLowerCase()}`}>{e.state}</span>
                  </td>
                  <td>
                    <code>{e.state === 'FAILED' ? e.evaluationFailure : e.result}</code>
                  </td>
                  <td>{e.processInstanceKey ? <Link to={`/instances/${e.processInstanceKey}`}>{e.processInstanceKey}</Link> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {evaluations.length >= EVALUATION_LIMIT ? <p class="notice">Showing the newest {EVALUATION_LIMIT} evaluations.</p> : null}
    </>
  );
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
