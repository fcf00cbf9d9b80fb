/**
 * The decision requirements diagram (DRD) of a decision's DMN resource, in the decision's place
 * when the user switches to it: every decision of the resource, what each requires, the one of
 * this page marked. Choosing another decision there opens its page (same deployment, so the
 * version deployed with this one).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLive } from '../../lib/live';
import { navigate } from '../../lib/router';
import { Link } from '../../shell/link';
import { ErrorNotice } from '../../shell/page';
import { findDecisionInRequirements, searchDecisions, type DecisionDefinition } from './data';
import type { DrdView } from './dmn-viewer';

export type DecisionViewKind = 'logic' | 'drd';

export function ViewSwitch({ view, onChange }: { readonly view: DecisionViewKind; readonly onChange: (view: DecisionViewKind) => void }) {
  return (
    <div class="view-switch" role="group" aria-label="Show">
      <button type="button" aria-pressed={view === 'logic'} onClick={() => onChange('logic')}>
        Decision logic
      </button>
      <button type="button" aria-pressed={view === 'drd'} onClick={() => onChange('drd')}>
        Requirements diagram
      </button>
    </div>
  );
}

interface Props {
  readonly xml: string;
  readonly definition: DecisionDefinition;
  /** The decision of this page was chosen: back to its logic. */
  readonly onShowLogic: () => void;
}

export function RequirementsView({ xml, definition, onShowLogic }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [drawError, setDrawError] = useState<string | null>(null);
  const [openError, setOpenError] = useState<Error | null>(null);
  const { decisionRequirementsKey, decisionDefinitionId } = definition;
  const showLogic = useRef(onShowLogic);
  showLogic.current = onShowLogic;

  useEffect(() => {
    let cancelled = false;
    let shown: DrdView | null = null;
    const open = (id: string) => {
      if (id === decisionDefinitionId) return showLogic.current();
      setOpenError(null);
      findDecisionInRequirements(decisionRequirementsKey, id).then(
        (found) => {
          if (cancelled) return;
          if (found) navigate(`/decisions/${found.decisionDefinitionKey}`);
          else setOpenError(new Error(`The decision '${id}' of this diagram is not deployed with this one.`));
        },
        (err: Error) => !cancelled && setOpenError(err),
      );
    };
    void import('./dmn-viewer')
      .then(({ showRequirements }) => showRequirements(container.current!, xml, decisionDefinitionId, open))
      .then((v) => {
        if (cancelled) return v.destroy();
        shown = v;
        setReady(true);
      })
      .catch((err: Error) => !cancelled && setDrawError(err.message));
    return () => {
      cancelled = true;
      shown?.destroy();
      setReady(false);
    };
  }, [xml, decisionRequirementsKey, decisionDefinitionId]);

  return (
    <div class="dmn-view">
      <div class="dmn-canvas drd-canvas" ref={container} role="region" aria-label={`Requirements of ${definition.decisionRequirementsId}`} data-ready={ready ? 'drd' : 'false'} />
      <p class="hint">Choose a decision, or its button, to open its page (this one: its logic).</p>
      {drawError ? (
        <p class="notice error" role="alert">
          The requirements diagram could not be drawn: {drawError}
        </p>
      ) : null}
      {openError ? <ErrorNotice error={openError} what="That decision could not be opened." /> : null}
      <DecisionLinks definition={definition} />
    </div>
  );
}

/** The diagram's decisions as links too: what a screen reader or the keyboard can use of the drawing. */
function DecisionLinks({ definition }: { readonly definition: DecisionDefinition }) {
  const { decisionRequirementsKey, decisionDefinitionKey } = definition;
  const decisions = useLive((signal) => searchDecisions({ decisionRequirementsKey }, signal), [decisionRequirementsKey], 0);
  if (!decisions.data || decisions.data.length < 2) return null;
  return (
    <nav class="drd-decisions" aria-label="Decisions of this diagram">
      <span>Decisions:</span>
      <ul>
        {decisions.data.map((d) => (
          <li key={d.decisionDefinitionKey}>
            <Link to={`/decisions/${d.decisionDefinitionKey}`} aria-current={d.decisionDefinitionKey === decisionDefinitionKey ? 'page' : undefined}>
              {d.name || d.decisionDefinitionId}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
