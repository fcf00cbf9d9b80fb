/** A decision drawn by dmn-js, with the rules of the chosen evaluation highlighted. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DmnView as Shown } from './dmn-viewer';

interface Props {
  readonly xml: string;
  readonly decisionId: string;
  readonly label: string;
  /** Rule ids to highlight (the matched rules of the evaluation shown). */
  readonly matched: readonly string[];
}

export function DmnView({ xml, decisionId, label, matched }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let shown: Shown | null = null;
    setError(null);
    void import('./dmn-viewer')
      .then(({ showDmn }) => showDmn(container.current!, xml, decisionId))
      .then((v) => {
        if (cancelled) return v.destroy();
        shown = v;
        setView(v);
      })
      .catch((err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
      shown?.destroy();
      setView(null);
    };
  }, [xml, decisionId]);

  const matchedKey = matched.join('\u0000');
  useEffect(() => {
    view?.highlight(matched);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, matchedKey]);

  return (
    <div class="dmn-view">
      {/* dmn-js scrolls a wide table in its own box (made keyboard-reachable in dmn-viewer.ts). */}
      <div class="dmn-canvas" ref={container} role="region" aria-label={label} data-ready={view ? view.kind : 'false'} />
      {error ? (
        <p class="notice error" role="alert">
          The decision could not be drawn: {error}
        </p>
      ) : null}
    </div>
  );
}
