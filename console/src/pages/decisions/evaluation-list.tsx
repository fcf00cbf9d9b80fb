/**
 * A decision's evaluations, a page at a time, newest first; choosing one shows its details and
 * marks its rules. Pages follow the search's cursors, so a page stays put while newer
 * evaluations arrive in front of it.
 */
import { Link } from '../../shell/link';
import { TableWrap } from '../../shell/table-wrap';
import type { EvaluationPage } from './data';

interface Props {
  readonly page: EvaluationPage;
  /** Evaluations on the pages before this one. */
  readonly skipped: number;
  readonly shown: string | null;
  readonly onChoose: (id: string) => void;
  /** Absent on the first page. */
  readonly onNewer?: () => void;
  /** Absent on the last page. */
  readonly onOlder?: () => void;
}

export function EvaluationList({ page, skipped, shown, onChoose, onNewer, onOlder }: Props) {
  const first = page.items.length ? skipped + 1 : skipped;
  return (
    <>
      <h3>All evaluations</h3>
      <TableWrap label="All evaluations">
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
            {page.items.map((e) => {
              const current = e.decisionEvaluationInstanceKey === shown;
              return (
                <tr key={e.decisionEvaluationInstanceKey} class={current ? 'current' : undefined} data-evaluation={e.decisionEvaluationInstanceKey}>
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
      {onNewer || onOlder ? (
        <nav class="evaluation-pager" aria-label="Pages of evaluations">
          <button type="button" onClick={onNewer} disabled={!onNewer}>
            Newer evaluations
          </button>
          <span aria-live="polite">
            {first}–{skipped + page.items.length} of {page.totalItems}
          </span>
          <button type="button" onClick={onOlder} disabled={!onOlder}>
            Older evaluations
          </button>
        </nav>
      ) : null}
    </>
  );
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
