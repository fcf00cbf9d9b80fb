/**
 * /ui/instances: process instances, newest first, filtered and paged by the server (one page of
 * rows and a count per request, however many instances there are). The filters live in the
 * address (?state=ACTIVE…), so a filtered list can be shared and reloaded.
 */
import { TableWrap } from '../../shell/table-wrap';
import { useMemo, useRef, useState } from 'preact/hooks';
import { useLive } from '../../lib/live';
import { href } from '../../lib/router';
import { Link } from '../../shell/link';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { useReadRefusal } from '../../shell/readable';
import { groupByProcess, searchDefinitions } from '../processes/data';
import { LIST_PAGE_SIZE, searchInstances, type InstancePage, type PageAt } from './data';
import { FilterForm } from './filter-form';
import { filtersFromQuery, filtersToQuery, hasFilters, toApiFilter, type Filters } from './filters';
import { formatDate, StateBadge } from './format';
import './instances.css';

export function InstancesPage() {
  // The node narrows the search to the processes the user may read: with none it would look empty.
  const refusal = useReadRefusal('PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE', 'The process instances', true);
  if (refusal)
    return (
      <section>
        <PageHeader title="Instances" />
        {refusal}
      </section>
    );
  return <InstanceList />;
}

function InstanceList() {
  const [filters, setFilters] = useState<Filters>(() => filtersFromQuery(location.search));
  const [at, setAt] = useState<PageAt & { readonly offset: number }>({ offset: 0 });
  const query = filtersToQuery(filters);
  const apiFilter = useMemo(() => toApiFilter(filters), [query]);
  const list = useLive((signal) => searchInstances(apiFilter, at, signal), [query, at.after, at.before]);
  const definitions = useLive((signal) => searchDefinitions({}, signal), []);
  const processes = useMemo(() => (definitions.data ? groupByProcess(definitions.data) : []), [definitions.data]);

  // While the next page or filter loads, the rows shown stay (marked busy) instead of blanking.
  const shown = useRef<InstancePage | undefined>(undefined);
  if (list.data) shown.current = list.data;
  const data = list.data ?? shown.current;
  const busy = !list.data && !list.error;

  const changeFilters = (next: Filters) => {
    setFilters(next);
    setAt({ offset: 0 });
    history.replaceState(null, '', href('/instances') + filtersToQuery(next));
  };

  return (
    <section>
      <PageHeader title="Instances" />
      <FilterForm filters={filters} processes={processes} onChange={changeFilters} />
      {list.error ? <ErrorNotice error={list.error} what="The process instances could not be read." /> : null}
      {!data && !list.error ? <Loading what="process instances" /> : null}
      {data ? (
        <>
          <p class="summary" role="status" aria-live="polite">
            {summary(data, at.offset, hasFilters(filters))}
          </p>
          {data.items.length > 0 ? <InstanceTable page={data} busy={busy} /> : null}
          <Pager
            page={data}
            offset={at.offset}
            onPrevious={() => setAt({ before: data.page.startCursor, offset: Math.max(0, at.offset - LIST_PAGE_SIZE) })}
            onNext={() => setAt({ after: data.page.endCursor, offset: at.offset + data.items.length })}
          />
        </>
      ) : null}
    </section>
  );
}

function summary(data: InstancePage, offset: number, filtered: boolean): string {
  const total = data.page.totalItems;
  if (total === 0) return filtered ? 'No instance matches these filters.' : 'No process instance has started yet.';
  const first = offset + 1;
  const last = offset + data.items.length;
  return `${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()} instances`;
}

function InstanceTable({ page, busy }: { readonly page: InstancePage; readonly busy: boolean }) {
  return (
    <TableWrap label="Process instances, scrollable">
      <table class="data-table instance-table" aria-label="Process instances" aria-busy={busy ? 'true' : 'false'}>
        <thead>
          <tr>
            <th scope="col">Instance</th>
            <th scope="col">Process</th>
            <th scope="col">Version</th>
            <th scope="col">State</th>
            <th scope="col">Started</th>
            <th scope="col">Ended</th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((i) => (
            <tr key={i.processInstanceKey} data-instance-key={i.processInstanceKey}>
              <th scope="row">
                <Link to={`/instances/${i.processInstanceKey}`}>{i.processInstanceKey}</Link>
              </th>
              <td>{i.processDefinitionName || i.processDefinitionId}</td>
              <td>{i.processDefinitionVersion}</td>
              <td>
                <StateBadge state={i.state} incident={i.hasIncident} />
              </td>
              <td>{formatDate(i.startDate)}</td>
              <td>{formatDate(i.endDate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

interface PagerProps {
  readonly page: InstancePage;
  readonly offset: number;
  readonly onPrevious: () => void;
  readonly onNext: () => void;
}

function Pager({ page, offset, onPrevious, onNext }: PagerProps) {
  const hasNext = offset + page.items.length < page.page.totalItems;
  if (offset === 0 && !hasNext) return null;
  return (
    <nav class="pager" aria-label="Pages of instances">
      <button type="button" disabled={offset === 0} onClick={onPrevious}>
        Previous page
      </button>
      <button type="button" disabled={!hasNext} onClick={onNext}>
        Next page
      </button>
    </nav>
  );
}
