/**
 * Under a list read page by page (lib/paged-search.ts): how much of it is shown, and the button
 * that reads the next page. Nothing when the list is complete, so a cut-off list always says so.
 */
export function ShowMore({ shown, total, what, step, onMore }: { readonly shown: number; readonly total?: number; readonly what: string; readonly step: number; readonly onMore: () => void }) {
  // Without a total (a list merged from several searches) the next page is a full step.
  const next = total === undefined ? step : Math.max(1, Math.min(step, total - shown));
  return (
    <p class="show-more">
      <span role="status">
        Showing {shown.toLocaleString('en')} {total === undefined ? '' : `of ${total.toLocaleString('en')} `}
        {what}.
      </span>{' '}
      <button type="button" onClick={onMore}>
        Show {next.toLocaleString('en')} more {what}
      </button>
    </p>
  );
}
