/**
 * The list's filters. Choices (process, version, state, dates, incidents) apply as they change;
 * the variable's name and value apply on Enter or "Apply", so typing does not search per key.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ProcessGroup } from '../processes/data';
import { hasFilters, NO_FILTERS, type Filters } from './filters';

interface Props {
  readonly filters: Filters;
  readonly processes: readonly ProcessGroup[];
  readonly onChange: (filters: Filters) => void;
}

export function FilterForm({ filters, processes, onChange }: Props) {
  const [variable, setVariable] = useState({ name: filters.variableName, value: filters.variableValue });
  useEffect(() => setVariable({ name: filters.variableName, value: filters.variableValue }), [filters.variableName, filters.variableValue]);

  const set = (change: Partial<Filters>) => onChange({ ...filters, ...change });
  const versions = processes.find((p) => p.processDefinitionId === filters.process)?.versions ?? [];

  return (
    <form
      class="instance-filters"
      aria-label="Filter instances"
      onSubmit={(event) => {
        event.preventDefault();
        set({ variableName: variable.name.trim(), variableValue: variable.value.trim() });
      }}
    >
      <div class="field">
        <label for="filter-process">Process</label>
        <select id="filter-process" value={filters.process} onChange={(e) => set({ process: e.currentTarget.value, version: '' })}>
          <option value="">All processes</option>
          {processes.map((p) => (
            <option key={`${p.tenantId}/${p.processDefinitionId}`} value={p.processDefinitionId}>
              {p.name}
            </option>
          ))}
          {filters.process && !processes.some((p) => p.processDefinitionId === filters.process) ? <option value={filters.process}>{filters.process}</option> : null}
        </select>
      </div>
      <div class="field">
        <label for="filter-version">Version</label>
        <select id="filter-version" value={filters.version} disabled={!filters.process} onChange={(e) => set({ version: e.currentTarget.value })}>
          <option value="">All versions</option>
          {versions.map((v) => (
            <option key={v.processDefinitionKey} value={String(v.version)}>
              {v.version}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-state">State</label>
        <select id="filter-state" value={filters.state} onChange={(e) => set({ state: e.currentTarget.value as Filters['state'] })}>
          <option value="">Any state</option>
          <option value="ACTIVE">Active</option>
          <option value="COMPLETED">Completed</option>
          <option value="TERMINATED">Canceled</option>
        </select>
      </div>
      <div class="field">
        <label for="filter-from">Started from</label>
        <input id="filter-from" type="date" value={filters.startedFrom} onChange={(e) => set({ startedFrom: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="filter-to">Started to</label>
        <input id="filter-to" type="date" value={filters.startedTo} onChange={(e) => set({ startedTo: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="filter-var-name">Variable</label>
        <input id="filter-var-name" value={variable.name} placeholder="name" onInput={(e) => setVariable({ ...variable, name: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="filter-var-value">Value</label>
        <input id="filter-var-value" value={variable.value} placeholder='"text", 42, true' onInput={(e) => setVariable({ ...variable, value: e.currentTarget.value })} />
      </div>
      <div class="field check">
        <input id="filter-incidents" type="checkbox" checked={filters.incidentsOnly} onChange={(e) => set({ incidentsOnly: e.currentTarget.checked })} />
        <label for="filter-incidents">With incidents only</label>
      </div>
      <div class="filter-buttons">
        <button type="submit">Apply</button>
        <button type="button" disabled={!hasFilters(filters)} onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
