/**
 * /ui/decisions/{decisionDefinitionKey}: one version of a decision, drawn by dmn-js, and its
 * latest evaluations; the chosen one's inputs, outputs and matched rules, which the table marks.
 */
import { useState } from 'preact/hooks';
import './decisions.css';
import { useLive } from '../../lib/live';
import { Link } from '../../shell/link';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { useReadRefusal } from '../../shell/readable';
import { getDecision, getDecisionXml, getEvaluation, searchDecisions, searchEvaluations, type DecisionDefinition } from './data';
import { DmnView } from './dmn-view';
import { EvaluationDetails } from './evaluation-details';
import { EvaluationList } from './evaluation-list';

export function DecisionPage({ definitionKey }: { readonly definitionKey: string }) {
  const definition = useLive((signal) => getDecision(definitionKey, signal), [definitionKey], 0);
  const xml = useLive((signal) => getDecisionXml(definitionKey, signal), [definitionKey], 0);
  const [chosen, setChosen] = useState<string | null>(null);
  const d = definition.data;
  const title = d ? d.name || d.decisionDefinitionId : 'Decision';

  return (
    <section>
      <PageHeader title={title}>{d ? <DecisionFacts definition={d} /> : null}</PageHeader>
      {definition.error ? <ErrorNotice error={definition.error} what="This decision definition could not be read." /> : null}
      {d ? <Versions definition={d} /> : null}
      <h2>Decision</h2>
      {xml.error ? <ErrorNotice error={xml.error} what="The DMN XML could not be read." /> : null}
      {!(xml.data && d) && !xml.error && !definition.error ? <Loading what="the decision" /> : null}
      {xml.data && d ? <DecisionWithEvaluation xml={xml.data} definition={d} title={title} chosen={chosen} onChoose={setChosen} /> : null}
    </section>
  );
}

interface WithEvaluationProps {
  readonly xml: string;
  readonly definition: DecisionDefinition;
  readonly title: string;
  readonly chosen: string | null;
  readonly onChoose: (id: string) => void;
}

/** The newest evaluation is shown until the user picks another. */
function DecisionWithEvaluation({ xml, definition, title, chosen, onChoose }: WithEvaluationProps) {
  const key = definition.decisionDefinitionKey;
  const evaluations = useLive((signal) => searchEvaluations(key, signal), [key]);
  const shownId = chosen ?? evaluations.data?.[0]?.decisionEvaluationInstanceKey ?? null;
  // A finished evaluation never changes: read once.
  const evaluation = useLive((signal) => (shownId ? getEvaluation(shownId, signal) : Promise.resolve(null)), [shownId], 0);
  const matched = evaluation.data?.matchedRules.map((r) => r.ruleId) ?? [];
  // The node narrows the search to what the user may read: without the grant it looks like none.
  const refusal = useReadRefusal('DECISION_DEFINITION', 'READ_DECISION_INSTANCE', 'The evaluations', false, definition.decisionDefinitionId);
  return (
    <>
      <DmnView xml={xml} decisionId={definition.decisionDefinitionId} label={`Decision ${title}`} matched={matched} />
      <h2>Evaluations</h2>
      {refusal}
      {evaluations.error ? <ErrorNotice error={evaluations.error} what="The evaluations could not be read." /> : null}
      {!evaluations.data && !evaluations.error ? <Loading what="evaluations" /> : null}
      {evaluations.data && evaluations.data.length === 0 && !refusal ? <p class="empty">This decision has not been evaluated yet.</p> : null}
      {evaluation.error ? <ErrorNotice error={evaluation.error} what="The evaluation could not be read." /> : null}
      {evaluation.data ? <EvaluationDetails evaluation={evaluation.data} /> : null}
      {evaluations.data && evaluations.data.length > 0 ? <EvaluationList evaluations={evaluations.data} shown={shownId} onChoose={onChoose} /> : null}
    </>
  );
}

function DecisionFacts({ definition: d }: { readonly definition: DecisionDefinition }) {
  return (
    <dl class="facts">
      <dt>Id</dt>
      <dd>
        <code>{d.decisionDefinitionId}</code>
      </dd>
      <dt>Version</dt>
      <dd>{d.version}</dd>
      <dt>Key</dt>
      <dd>
        <code>{d.decisionDefinitionKey}</code>
      </dd>
      <dt>Requirements</dt>
      <dd>
        <code>{d.decisionRequirementsId}</code>
      </dd>
      {d.tenantId !== '<default>' ? (
        <>
          <dt>Tenant</dt>
          <dd>{d.tenantId}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Versions({ definition }: { readonly definition: DecisionDefinition }) {
  const versions = useLive(
    (signal) => searchDecisions({ decisionDefinitionId: definition.decisionDefinitionId, tenantId: definition.tenantId }, signal),
    [definition.decisionDefinitionId, definition.tenantId],
  );
  if (!versions.data || versions.data.length < 2) return null;
  return (
    <nav class="versions" aria-label="Versions">
      <span>Versions:</span>
      <ul>
        {versions.data.map((v) => (
          <li key={v.decisionDefinitionKey}>
            <Link to={`/decisions/${v.decisionDefinitionKey}`} aria-current={v.decisionDefinitionKey === definition.decisionDefinitionKey ? 'page' : undefined}>
              v{v.version}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
