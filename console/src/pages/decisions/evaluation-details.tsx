/** One evaluation: what went in, which rules matched (marked in the table above) and what came out. */
import { TableWrap } from '../../shell/table-wrap';
import type { DecisionInstanceDetails } from './data';
import { formatDate } from './evaluation-list';

export function EvaluationDetails({ evaluation: e }: { readonly evaluation: DecisionInstanceDetails }) {
  return (
    <section class="evaluation" aria-labelledby="evaluation-title" data-evaluation={e.decisionEvaluationInstanceKey}>
      <h3 id="evaluation-title">Evaluation of {formatDate(e.evaluationDate)}</h3>
      {e.state === 'FAILED' ? (
        <p class="notice error">
          <strong>Failed</strong>: {e.evaluationFailure}
        </p>
      ) : (
        <p>
          Result: <code>{e.result}</code>
        </p>
      )}
      {e.evaluatedInputs.length > 0 ? (
        <TableWrap label="Evaluated inputs">
          <table class="data-table">
            <caption>Inputs</caption>
            <thead>
              <tr>
                <th scope="col">Input</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {e.evaluatedInputs.map((input) => (
                <tr key={input.inputId}>
                  <th scope="row">{input.inputName || input.inputId}</th>
                  <td>
                    <code>{input.inputValue}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <h4>Matched rules</h4>
      {e.matchedRules.length === 0 ? <p class="empty">No rule matched.</p> : null}
      <ul class="matched-rules">
        {e.matchedRules.map((rule) => (
          <li key={rule.ruleId} data-rule-id={rule.ruleId}>
            <span class="badge matched">Rule {rule.ruleIndex}</span>{' '}
            {rule.evaluatedOutputs.map((o) => (
              <span key={o.outputId} class="output">
                {o.outputName || o.outputId} = <code>{o.outputValue}</code>{' '}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
