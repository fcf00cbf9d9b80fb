/** /ui/cluster: the nodes, the partitions, who leads each, and health, from GET /v2/topology (live); then the backups. */
import { useLive } from '../../lib/live';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { byPartition, getTopology, type Topology } from './topology';
import { TableWrap } from '../../shell/table-wrap';
import { Backups } from './backups';

export function ClusterPage() {
  const topology = useLive((signal) => getTopology(signal), []);
  const t = topology.data;
  return (
    <section>
      <PageHeader title="Cluster" />
      {topology.error ? <ErrorNotice error={topology.error} what="The topology could not be read." /> : null}
      {!t && !topology.error ? <Loading what="the topology" /> : null}
      {t ? <Summary topology={t} /> : null}
      {t ? <Partitions topology={t} /> : null}
      {t ? <Nodes topology={t} /> : null}
      <Backups />
    </section>
  );
}

function Summary({ topology: t }: { readonly topology: Topology }) {
  return (
    <dl class="facts summary">
      <dt>Nodes</dt>
      <dd>{t.clusterSize}</dd>
      <dt>Partitions</dt>
      <dd>{t.partitionsCount}</dd>
      <dt>Replication factor</dt>
      <dd>{t.replicationFactor}</dd>
      <dt>Version</dt>
      <dd>{t.gatewayVersion}</dd>
    </dl>
  );
}

export function HealthBadge({ health }: { readonly health: string }) {
  return <span class={`badge health-${health}`}>{health}</span>;
}

function Partitions({ topology }: { readonly topology: Topology }) {
  return (
    <>
      <h2>Partitions</h2>
      <TableWrap label="Partitions">
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">Partition</th>
              <th scope="col">Leader</th>
              <th scope="col">Followers</th>
              <th scope="col">Health</th>
            </tr>
          </thead>
          <tbody>
            {byPartition(topology).map((p) => (
              <tr key={p.partitionId} data-partition-id={p.partitionId}>
                <th scope="row">{p.partitionId}</th>
                <td>{p.leader === null ? <span class="badge health-dead">none</span> : `node ${p.leader}`}</td>
                <td>{p.followers.length ? p.followers.map((n) => `node ${n}`).join(', ') : '—'}</td>
                <td>
                  <HealthBadge health={p.health} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

function Nodes({ topology }: { readonly topology: Topology }) {
  return (
    <>
      <h2>Nodes</h2>
      <ul class="cards">
        {[...topology.brokers]
          .sort((a, b) => a.nodeId - b.nodeId)
          .map((broker) => (
            <li class="card" key={broker.nodeId} data-node-id={broker.nodeId}>
              <h3>Node {broker.nodeId}</h3>
              <p>
                <code>
                  {broker.host}:{broker.port}
                </code>{' '}
                · {broker.version}
              </p>
              {broker.partitions.length === 0 ? <p class="empty">No partitions.</p> : null}
              <ul class="partition-roles" aria-label={`Partitions of node ${broker.nodeId}`}>
                {[...broker.partitions]
                  .sort((a, b) => a.partitionId - b.partitionId)
                  .map((p) => (
                    <li key={p.partitionId}>
                      Partition {p.partitionId}: <span class={`badge role-${p.role}`}>{p.role}</span> <HealthBadge health={p.health} />
                    </li>
                  ))}
              </ul>
            </li>
          ))}
      </ul>
    </>
  );
}
