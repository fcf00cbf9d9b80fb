/**
 * Every page of the console: its path pattern and what renders it, and the main navigation.
 * Adding a page is one line here (and its folder under pages/). Deep links the node answers
 * with index.html: /ui/processes/{key}, /ui/instances/{key}, /ui/tasks/{key},
 * /ui/decisions/{key}, /ui/identity/{users|groups|roles|tenants|mapping-rules|authorizations}, /ui/cluster.
 */
import type { VNode } from 'preact';
import { ClusterPage } from './pages/cluster/cluster-page';
import { DecisionPage } from './pages/decisions/decision-page';
import { DecisionsPage } from './pages/decisions/decisions-page';
import { IdentityPage } from './pages/identity/identity-page';
import { InstancePage } from './pages/instances/instance-page';
import { InstancesPage } from './pages/instances/instances-page';
import { DefinitionPage } from './pages/processes/definition-page';
import { ProcessesPage } from './pages/processes/processes-page';
import { TaskPage } from './pages/tasks/task-page';
import { TasksPage } from './pages/tasks/tasks-page';

export interface Route {
  readonly pattern: string;
  readonly render: (params: Record<string, string>) => VNode;
}

/** needsAuth: shown only when the node runs with --auth basic or oidc. */
export const NAV: readonly { readonly to: string; readonly label: string; readonly needsAuth?: boolean }[] = [
  { to: '/processes', label: 'Processes' },
  { to: '/instances', label: 'Instances' },
  { to: '/tasks', label: 'Tasks' },
  { to: '/decisions', label: 'Decisions' },
  { to: '/identity', label: 'Identity', needsAuth: true },
  { to: '/cluster', label: 'Cluster' },
];

/** Where '/ui/' leads. */
export const HOME = '/processes';

export const ROUTES: readonly Route[] = [
  { pattern: '/processes', render: () => <ProcessesPage /> },
  { pattern: '/processes/:key', render: ({ key }) => <DefinitionPage definitionKey={key!} /> },
  { pattern: '/instances', render: () => <InstancesPage /> },
  { pattern: '/instances/:key', render: ({ key }) => <InstancePage key={key} instanceKey={key!} /> },
  { pattern: '/tasks', render: () => <TasksPage /> },
  { pattern: '/tasks/:key', render: ({ key }) => <TaskPage taskKey={key!} /> },
  { pattern: '/decisions', render: () => <DecisionsPage /> },
  { pattern: '/decisions/:key', render: ({ key }) => <DecisionPage definitionKey={key!} /> },
  { pattern: '/identity', render: () => <IdentityPage /> },
  { pattern: '/identity/:tab', render: ({ tab }) => <IdentityPage tab={tab!} /> },
  { pattern: '/cluster', render: () => <ClusterPage /> },
];
