/** How the Instances pages write dates and states. */

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE.format(date);
}

const STATE_LABELS: Record<string, string> = { ACTIVE: 'Active', COMPLETED: 'Completed', TERMINATED: 'Canceled' };

/** Camunda calls a canceled instance TERMINATED; Operate shows it as "Canceled". */
export const stateLabel = (state: string): string => STATE_LABELS[state] ?? state;

export function StateBadge({ state, incident }: { readonly state: string; readonly incident?: boolean }) {
  if (incident && state === 'ACTIVE') return <span class="badge state-incident">Incident</span>;
  return <span class={`badge state-${state.toLowerCase()}`}>{stateLabel(state)}</span>;
}
