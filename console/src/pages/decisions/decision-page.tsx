/**
 * /ui/decisions/{decisionDefinitionKey}: one version of a decision, drawn by dmn-js (its own
 * logic, or the requirements diagram of its DMN resource, whose decisions lead to their pages),
 * and its evaluations a page at a time; the chosen one's inputs, outputs and matched rules,
 * which the table marks.
 */
import { useState } from 'preact/hooks';
import './decisions.css';
import { useLive } from '../../lib/live';
import { Link } from '../../shell/link';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { useReadRefusal } from '../../shell/readable';
import { EVALUATION_PAGE, getDecision, getDecisionXml, getEvaluation, searchDecisions, searchEvaluations, type DecisionDefinition } from './data';
import { DmnView } from './dmn-view';
import { hasDiagram } from './dmn-xml';
import { EvaluationDetails } from './evaluation-details';
import { EvaluationList } from './evaluation-list';
import { RequirementsView, ViewSwitch, type DecisionViewKind } from './requirements-view';

/** A new decision is a new page: the view, the chosen evaluation and the page of evaluations start over. */
export function DecisionPage({ definitionKey }: { readonly definitionKey: string }) {
  return <DecisionOf key={definitionKey} definitionKey={definitionKey} />;
}

function DecisionOf({ definitionKey }: { readonly definitionKey: string }) {
  const definition = useLive((signal) => getDecision(definitionKey, signal), [definitionKey], 0);
  const xml = useLive((signal) => getDecisionXml(definitionKey, signal), [definitionKey], 0);
  const [chosen, setChosen] = useState<string | null>(null);
  const [view, setView] = useState<DecisionViewKind>('logic');
  const d = definition.data;
  const drd = xml.data !== undefined && hasDiagram(xml.data);
  const title = d ? d.name || d.decisionDefinitionId : 'Decision';

  return (
    <section>
      <PageHeader title={title}>{d ? <DecisionFacts definition={d} /> : null}</PageHeader>
      {definition.error ? <ErrorNotice error={definition.error} what="This decision definition could not be read." /> : null}
      {d ? <Versions definition={d} /> : null}
      <div class="decision-heading">
        <h2>Decision</h2>
        {drd ? <ViewSwitch view={view} onChange={setView} /> : null}
      </div>
      {xml.error ? <ErrorNotice error={xml.error} what="The DMN XML could not be read." /> : null}
      {!(xml.data && d) && !xml.error && !definition.error ? <Loading what="the decision" /> : null}
      {xml.data && d && drd && view === 'drd' ? <RequirementsView xml={xml.data} definition={d} onShowLogic={() => setView('logic')} /> : null}
      {xml.data && d ? <DecisionWithEvaluation xml={xml.data} definition={d} title={title} chosen={chosen} onChoose={setChosen} drawn={view === 'logic' || !drd} /> : null}
    </section>
  );
}

interface WithEvaluationProps {
  readonly xml: string;
  readonly definition: DecisionDefinition;
  readonly title: string;
  readonly chosen: string | null;
  readonly onChoose: (id: string) => void;
  /** False while the requirements diagram is shown in the decision's place. */
  readonly drawn: boolean;
}

/** The newest evaluation of the page is shown until the user picks another. */
function DecisionWithEvaluation({ xml, definition, title, chosen, onChoose, drawn }: WithEvaluationProps) {
  const key = definition.decisionDefinitionKey;
  // The cursors of the pages up to the one shown (the first page has none).
  const [cursors, setCursors] = useState<readonly (string | undefined)[]>([undefined]);
  const after = cursors[cursors.length - 1];
  const evaluations = useLive((signal) => searchEvaluations(key, after, signal), [key, after]);
  const page = evaluations.data;
  const skipped = (cursors.length - 1) * EVALUATION_PAGE;
  const olderCursor = page && skipped + page.items.length < page.totalItems ? page.endCursor : undefined;
  const shownId = chosen ?? page?.items[0]?.decisionEvaluationInstanceKey ?? null;
  // A finished evaluation never changes: read once.
  const evaluation = useLive((signal) => (shownId ? getEvaluation(shownId, signal) : Promise.resolve(null)), [shownId], 0);
  const matched = evaluation.data?.matchedRules.map((r) => r.ruleId) ?? [];
  // The node narrows the search to what the user may read: without the grant it looks like none.
  const refusal = useReadRefusal('DECISION_DEFINITION', 'READ_DECISION_INSTANCE', 'The evaluations', false, definition.decisionDefinitionId);
  return (
    <>
      {drawn ? <DmnView xml={xml} decisionId={definition.decisionDefinitionId} label={`Decision ${title}`} matched={matched} /> : null}
      <h2>Evaluations</h2>
      {refusal}
      {evaluations.error ? <ErrorNotice error={evaluations.error} what="The evaluations could not be read." /> : null}
      {!page && !evaluations.error ? <Loading what="evaluations" /> : null}
      {page && page.totalItems === 0 && !refusal ? <p class="empty">This decision has not been evaluated yet.</p> : null}
      {evaluation.error ? <ErrorNotice error={evaluation.error} what="The evaluation could not be read." /> : null}
      {evaluation.data ? <EvaluationDetails evaluation={evaluation.data} /> : null}
      {page && page.totalItems > 0 ? (
        <EvaluationList
          page={page}
          skipped={skipped}
          shown={shownId}
          onChoose={onChoose}
          onNewer={cursors.length > 1 ? () => setCursors(cursors.slice(0, -1)) : undefined}
          onOlder={olderCursor !== undefined ? () => setCursors([...cursors, olderCursor]) : undefined}
        />
      ) : null}
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
