/** The instance's element instances in the order they started: its history, as Operate lists it. */
import { TableWrap } from '../../shell/table-wrap';
import { ErrorNotice } from '../../shell/page';
import { ShowMore } from '../../shell/show-more';
import type { Paged } from '../../lib/paged-search';
import type { ElementInstance } from './data';
import { formatDate, StateBadge } from './format';

interface Props {
  readonly elements: Paged<ElementInstance> | undefined;
  readonly error: Error | undefined;
  readonly names: ReadonlyMap<string, string>;
  readonly pageSize: number;
  readonly onMore: () => void;
}

export function HistorySection({ elements, error, names, pageSize, onMore }: Props) {
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {error ? <ErrorNotice error={error} what="The element instances could not be read." /> : null}
      {elements ? (
        <TableWrap label="Element instances, scrollable">
          <table class="data-table" aria-label="Element instances">
            <thead>
              <tr>
                <th scope="col">Element</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
              </tr>
            </thead>
            <tbody>
              {elements.items.map((e) => (
                <tr key={e.elementInstanceKey} data-element-id={e.elementId} data-state={e.state} class={e.hasIncident ? 'row-incident' : undefined}>
                  <th scope="row">{names.get(e.elementId) ?? e.elementId}</th>
                  <td>{typeLabel(e.type)}</td>
                  <td>
                    <StateBadge state={e.state} incident={e.hasIncident} />
                  </td>
                  <td>{formatDate(e.startDate)}</td>
                  <td>{formatDate(e.endDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {elements?.more ? <ShowMore shown={elements.items.length} total={elements.total} what="element instances" step={pageSize} onMore={onMore} /> : null}
    </section>
  );
}

/** SERVICE_TASK → Service task. */
export const typeLabel = (type: string): string => {
  const words = type.toLowerCase().split('_');
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
};
