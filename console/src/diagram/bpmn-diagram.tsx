/** A BPMN diagram (bpmn-js NavigatedViewer: pan and zoom) with live per-element counts drawn on it. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useCurrentTheme } from '../lib/theme';
import type { BpmnView } from './bpmn-viewer';
import { drawCounts, type ElementCounts } from './counts';
import { drawMarks, type DiagramMarks } from './marks';

interface Props {
  readonly xml: string;
  readonly label: string;
  readonly counts?: readonly ElementCounts[];
  /** Element id → name, once the diagram is drawn. */
  readonly onNames?: (names: ReadonlyMap<string, string>) => void;
  readonly marks?: DiagramMarks;
  /** The drawn diagram, for pages that read its element types. */
  readonly onView?: (view: BpmnView) => void;
  /** A click on an element (the page offers the same choice by keyboard elsewhere). */
  readonly onElementClick?: (elementId: string) => void;
}

export function BpmnDiagram({ xml, label, counts, onNames, marks, onView, onElementClick }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<BpmnView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const theme = useCurrentTheme();

  useEffect(() => {
    let cancelled = false;
    let shown: BpmnView | null = null;
    setError(null);
    void import('./bpmn-viewer')
      .then(({ showBpmn }) => showBpmn(container.current!, xml, theme))
      .then((v) => {
        if (cancelled) return v.destroy();
        shown = v;
        setView(v);
        onNames?.(v.names);
        onView?.(v);
      })
      .catch((err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
      shown?.destroy();
      setView(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [xml, theme]);

  useEffect(() => {
    if (view && counts) drawCounts(view.overlays, counts, view.names);
  }, [view, counts]);

  useEffect(() => {
    if (view && marks) drawMarks(view, marks);
  }, [view, marks]);

  useEffect(() => (view && onElementClick ? view.onClick(onElementClick) : undefined), [view, onElementClick]);

  return (
    <figure class="diagram" aria-label={label}>
      <div class="diagram-canvas" ref={container} data-ready={view ? 'true' : 'false'} />
      {error ? (
        <figcaption class="notice error" role="alert">
          The diagram could not be drawn: {error}
        </figcaption>
      ) : null}
      {view ? (
        <button type="button" class="diagram-fit" onClick={() => view.fit()}>
          Fit to view
        </button>
      ) : null}
    </figure>
  );
}
