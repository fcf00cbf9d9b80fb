// etcd's side of the cluster benchmark (bench/cluster.mjs): what a phase cost etcd, and what
// etcd can take.
//
// - `loadSample` reads, at one moment, the nodes' counters (completed instances, partition-log
//   record bytes before compression, bytes written to etcd for them, appends) and each etcd
//   member's own metrics (request bytes received from clients, WAL fsyncs, backend commits, WAL
//   bytes as reported) and disk writes. `phaseCost` turns two samples into per-instance costs
//   and rates.
// - `etcdCapacity` writes to the same etcd cluster as fast as it can with transactions shaped
//   like partition-log appends (fenced on a key's create revision, conditioned on the exact head
//   value, a few 10–30 KB entry values plus the head in one transaction, several writers), and
//   reports what etcd took: transactions and bytes per second.
// - `etcdCeiling` divides that capacity by the cost of one instance.
//
// The unit of etcd's write bandwidth is the bytes of requests clients sent it
// (`etcd_network_client_grpc_received_bytes_total`, summed over the members, since each client
// talks to one member): etcd counts each request once as it arrives, whatever it then does with
// it (every write goes through raft to every member's WAL and into every member's backend), it
// covers everything the nodes send (entry values, keys, heads, comparisons, other writes), and
// it means the same for the nodes' load and for the capacity phase.
// Not `etcd_disk_wal_write_bytes_total`: etcd 3.4 counts a WAL record twice when it passes
// through the WAL's page buffer (records under 128 KB; the double count etcd PR #14506 removed
// upstream). Measured on one 3.4.23 member: transactions of 3×20 KB show 2.0× their bytes in it,
// of 200 KB 1.0×, while the process's real disk writes (WAL and backend together) are 2.1–2.2×
// in both. It is reported (`…AsReported`), not relied on.
// Each member's real disk writes (WAL and backend, from /proc/<pid>/io `write_bytes`: what it
// sent to the block device, whole pages) are reported too, and give a second ceiling.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createEtcdClient } from '../dist/cluster/etcd/client.js';
import { histogram, metricSum, percentile, sleep } from './phases.mjs';

/** Unlabelled samples read from each etcd member's /metrics (etcd 3.4 has all of them). */
const ETCD_SAMPLES = [
  'etcd_disk_wal_write_bytes_total',
  'etcd_disk_wal_fsync_duration_seconds_count',
  'etcd_disk_wal_fsync_duration_seconds_sum',
  'etcd_disk_backend_commit_duration_seconds_count',
  'etcd_disk_backend_commit_duration_seconds_sum',
  'etcd_network_client_grpc_received_bytes_total',
  'etcd_server_proposals_committed_total',
  'etcd_server_is_leader',
];

/** Bytes the process sent to the block device (Linux /proc/<pid>/io), or null. */
function diskWriteBytes(pid) {
  try {
    return Number(/^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);
  } catch {
    return null;
  }
}

/** One member's samples; null when it does not answer. */
export async function etcdMemberMetrics(member) {
  try {
    const text = await (await fetch(`http://127.0.0.1:${member.clientPort}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const values = { diskWriteBytes: member.child ? diskWriteBytes(member.child.pid) : null };
    for (const line of text.split('\n')) {
      const space = line.indexOf(' ');
      const name = line.slice(0, space);
      if (ETCD_SAMPLES.includes(name)) values[name] = Number(line.slice(space + 1));
    }
    return values;
  } catch {
    return null;
  }
}

/** The nodes' counters and every member's metrics, read at (nearly) one moment. */
export async function loadSample(systemPorts, members) {
  const at = performance.now();
  const [completed, recordBytes, etcdBytes, appends, etcds] = await Promise.all([
    metricSum(systemPorts, 'zen_process_instances_completed_total'),
    metricSum(systemPorts, 'zen_partition_log_record_bytes_total'),
    metricSum(systemPorts, 'zen_etcd_appended_bytes_total'),
    histogram(systemPorts, 'zen_etcd_request_duration_seconds', 'op="append"'),
    Promise.all(members.map((m) => etcdMemberMetrics(m))),
  ]);
  return { at, completed, recordBytes, etcdBytes, appends, etcds };
}

const round = (x, digits = 0) => (x === null || !Number.isFinite(x) ? null : +x.toFixed(digits));

/** Per member (by name), and over the members: client bytes received, disk and WAL writes, fsyncs, backend commits. */
function etcdRates(members, first, last, seconds) {
  const perMember = {};
  members.forEach((m, i) => {
    const a = first.etcds[i];
    const b = last.etcds[i];
    if (!a || !b) {
      perMember[m.name] = null;
      return;
    }
    const d = (name) => (a[name] === null || b[name] === null || a[name] === undefined || b[name] === undefined ? null : b[name] - a[name]);
    const rate = (name) => (d(name) === null ? null : Math.round(d(name) / seconds));
    const fsyncs = d('etcd_disk_wal_fsync_duration_seconds_count');
    const commits = d('etcd_disk_backend_commit_duration_seconds_count');
    perMember[m.name] = {
      leader: b.etcd_server_is_leader === 1,
      clientBytes: d('etcd_network_client_grpc_received_bytes_total'),
      clientBytesReceivedPerSecond: rate('etcd_network_client_grpc_received_bytes_total'),
      diskWriteBytes: d('diskWriteBytes'),
      diskWriteBytesPerSecond: rate('diskWriteBytes'),
      walBytesPerSecondAsReported: rate('etcd_disk_wal_write_bytes_total'),
      walFsyncsPerSecond: round(fsyncs / seconds),
      walFsyncMeanMs: fsyncs > 0 ? round((d('etcd_disk_wal_fsync_duration_seconds_sum') / fsyncs) * 1000, 2) : null,
      backendCommitsPerSecond: round(commits / seconds),
      backendCommitMeanMs: commits > 0 ? round((d('etcd_disk_backend_commit_duration_seconds_sum') / commits) * 1000, 2) : null,
      proposalsCommittedPerSecond: round(d('etcd_server_proposals_committed_total') / seconds),
    };
  });
  const live = Object.values(perMember).filter((m) => m !== null);
  const max = (key) => (live.some((m) => m[key] !== null) ? Math.max(...live.map((m) => m[key] ?? 0)) : null);
  const { clientBytes, diskWriteBytes } = { clientBytes: live.reduce((n, m) => n + (m.clientBytes ?? 0), 0), diskWriteBytes: max('diskWriteBytes') };
  for (const m of live) {
    delete m.clientBytes;
    delete m.diskWriteBytes;
  }
  return {
    // Each client talks to one member: the sum is what the clients sent the cluster.
    clientBytesReceivedPerSecond: Math.round(clientBytes / seconds),
    maxDiskWriteBytesPerSecond: max('diskWriteBytesPerSecond'),
    maxWalBytesPerSecondAsReported: max('walBytesPerSecondAsReported'),
    maxWalFsyncsPerSecond: max('walFsyncsPerSecond'),
    maxWalFsyncMeanMs: max('walFsyncMeanMs'),
    maxBackendCommitMeanMs: max('backendCommitMeanMs'),
    perMember,
    totals: { clientBytes, maxDiskWriteBytes: diskWriteBytes },
  };
}

/** What the window between two samples cost: log bytes per completed instance, etcd's write rates. */
export function phaseCost(members, first, last) {
  const seconds = (last.at - first.at) / 1000;
  const completed = last.completed - first.completed;
  const recordBytes = last.recordBytes - first.recordBytes;
  const etcdBytes = last.etcdBytes - first.etcdBytes;
  const appends = last.appends.count - first.appends.count;
  const { totals, ...writes } = etcdRates(members, first, last, seconds);
  const perInstance = (bytes) => (completed > 0 && bytes !== null ? Math.round(bytes / completed) : null);
  return {
    window: { seconds: round(seconds, 1), completed, completedPerSecond: Math.round(completed / seconds) },
    logBytesPerInstance: {
      // zen_partition_log_record_bytes_total: the records as the engine produced them.
      records: perInstance(recordBytes),
      // zen_etcd_appended_bytes_total: what the leaders wrote to etcd for them (deflated, with entry metadata).
      writtenToEtcd: perInstance(etcdBytes),
      compressionRatio: etcdBytes > 0 ? round(recordBytes / etcdBytes, 2) : null,
    },
    // The partition-log appends (one etcd transaction each) the leaders made.
    zenAppends: {
      perSecond: Math.round(appends / seconds),
      meanKb: appends > 0 ? round(etcdBytes / appends / 1024, 1) : null,
      meanMs: appends > 0 ? round(((last.appends.sum - first.appends.sum) / appends) * 1000, 1) : null,
      writtenToEtcdBytesPerSecond: Math.round(etcdBytes / seconds),
    },
    // etcd's view of the window: everything the nodes sent it, and what its members wrote.
    etcdWrites: {
      clientBytesPerInstance: perInstance(totals.clientBytes),
      diskWriteBytesPerInstance: perInstance(totals.maxDiskWriteBytes),
      ...writes,
    },
  };
}

/**
 * Writes to the etcd cluster as fast as it takes it for `seconds`: `writers` concurrent loops
 * (spread over one client per member, each listing its own member first, like the nodes), each
 * appending to a log of its own with transactions like a partition-log append: fenced on its
 * key's create revision, conditioned on the exact head value, `valuesPerTxn` entry values of
 * `minValueBytes`–`maxValueBytes` random (incompressible) bytes plus the new head. Stops early
 * after `maxBytes` (etcd's database grows by what is written; nothing is compacted meanwhile).
 */
export async function etcdCapacity({ members, systemPorts = [], seconds = 10, writers = 8, valuesPerTxn = 3, minValueBytes = 10 * 1024, maxValueBytes = 30 * 1024, maxBytes = 512 * 2 ** 20 }) {
  const clients = members.map((_, i) =>
    createEtcdClient({ endpoints: [members[i], ...members.filter((_, j) => j !== i)].map((m) => `http://127.0.0.1:${m.clientPort}`) }),
  );
  const pool = randomBytes(4 * 2 ** 20);
  const value = () => {
    const size = minValueBytes + Math.floor(Math.random() * (maxValueBytes - minValueBytes + 1));
    const offset = Math.floor(Math.random() * (pool.length - size));
    return pool.subarray(offset, offset + size);
  };
  const pad = (n) => String(n).padStart(16, '0');
  const latencies = [];
  let txns = 0;
  let valueBytes = 0;
  let failed = 0;
  // Transactions whose answer said "comparisons failed" although they were in etcd: the client
  // sent them again after the first try had landed (the case a partition leader's token settles).
  let landedOnRetry = 0;
  const errors = [];
  try {
    // Each writer's fence key, made before the window opens (a leader's election key exists before it appends).
    const logs = await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const etcd = clients[w % clients.length];
        const prefix = `/bench-capacity/w${w}/`;
        await etcd.put(`${prefix}fence`).value(String(w));
        const fence = (await etcd.get(`${prefix}fence`).exec()).kvs[0];
        return { etcd, prefix, fenceRevision: String(fence.create_revision) };
      }),
    );
    const first = await loadSample(systemPorts, members);
    const until = first.at + seconds * 1000;
    const loop = async ({ etcd, prefix, fenceRevision }) => {
      let index = 0;
      let head = null;
      while (performance.now() < until && valueBytes < maxBytes) {
        const values = Array.from({ length: valuesPerTxn }, value);
        const token = randomBytes(9).toString('base64url');
        const next = `${index + values.length}:${(index + values.length) * 10}:${token}`;
        const fenced = etcd.if(`${prefix}fence`, 'Create', '==', fenceRevision);
        const txn = head === null ? fenced.and(`${prefix}head`, 'Version', '==', 0) : fenced.and(`${prefix}head`, 'Value', '==', head);
        const puts = values.map((v, i) => etcd.put(`${prefix}log/${pad(index + 1 + i)}`).value(v));
        puts.push(etcd.put(`${prefix}head`).value(next));
        const t0 = performance.now();
        try {
          const result = await txn
            .then(...puts)
            .else(etcd.get(`${prefix}head`), etcd.get(`${prefix}fence`), etcd.get(`${prefix}log/${pad(index + 1)}`))
            .commit();
          if (!result.succeeded) {
            if (result.responses[0]?.response_range?.kvs?.[0]?.value.toString() !== next) throw new Error('the transaction failed its comparisons');
            landedOnRetry++;
          }
          latencies.push(performance.now() - t0);
          txns++;
          valueBytes += values.reduce((n, v) => n + v.length, 0);
          index += values.length;
          head = next;
        } catch (err) {
          // Unknown outcome (a deadline): carry on from whatever head etcd has.
          failed++;
          if (errors.length < 3) errors.push(String(err.message ?? err));
          const now = await etcd.get(`${prefix}head`).string().catch(() => head);
          head = now;
          index = now === null ? 0 : Number(now.split(':')[0]);
          await sleep(10);
        }
      }
    };
    await Promise.all(logs.map(loop));
    const last = await loadSample(systemPorts, members);
    const elapsed = (last.at - first.at) / 1000;
    latencies.sort((a, b) => a - b);
    const { totals, ...writes } = etcdRates(members, first, last, elapsed);
    return {
      seconds: round(elapsed, 1),
      shape: { writers, valuesPerTxn, valueKb: `${Math.round(minValueBytes / 1024)}–${Math.round(maxValueBytes / 1024)}`, stoppedAtMaxBytes: valueBytes >= maxBytes },
      txns,
      failedTxns: failed,
      landedOnRetry,
      ...(errors.length ? { errors } : {}),
      txnsPerSecond: Math.round(txns / elapsed),
      meanTxnKb: txns > 0 ? round(valueBytes / txns / 1024, 1) : null,
      // The entry values written (what zen_etcd_appended_bytes_total counts for the nodes).
      valueBytesPerSecond: Math.round(valueBytes / elapsed),
      txnP50Ms: latencies.length ? round(percentile(latencies, 50), 1) : null,
      txnP99Ms: latencies.length ? round(percentile(latencies, 99), 1) : null,
      // Completed instances in the window: the nodes should be idle (0).
      zenCompletedMeanwhile: last.completed - first.completed,
      etcdWrites: writes,
    };
  } finally {
    for (const client of clients) client.close();
  }
}

/** What etcd receives and writes while the nodes are idle (their leases, polls, reports). */
export async function idleEtcdLoad(systemPorts, members, seconds = 2) {
  const first = await loadSample(systemPorts, members);
  await sleep(seconds * 1000);
  const last = await loadSample(systemPorts, members);
  const rates = etcdRates(members, first, last, (last.at - first.at) / 1000);
  return { seconds, clientBytesReceivedPerSecond: rates.clientBytesReceivedPerSecond, maxDiskWriteBytesPerSecond: rates.maxDiskWriteBytesPerSecond };
}

/** The throughput etcd's write bandwidth allows: measured capacity ÷ what one instance costs etcd. */
export function etcdCeiling(cost, capacity) {
  const ratio = (a, b) => (a && b ? Math.round(a / b) : null);
  const perInstance = cost.etcdWrites.clientBytesPerInstance;
  const capacityBytes = capacity?.etcdWrites.clientBytesReceivedPerSecond ?? null;
  return {
    instancesPerSecond: ratio(capacityBytes, perInstance),
    derivation: capacity
      ? `etcd write capacity ${capacityBytes} bytes/s (etcdCapacity: request bytes etcd received, etcd_network_client_grpc_received_bytes_total summed over the members, ` +
        `while ${capacity.shape.writers} writers appended ${capacity.shape.valuesPerTxn} × ${capacity.shape.valueKb} KB values per transaction as fast as etcd took them, the Zen nodes idle) ` +
        `÷ ${perInstance} bytes per completed instance (etcdCost: the same metric over instances completed in the throughput window)`
      : 'not measured (BENCH_ETCD_CAPACITY=0)',
    // The same from each member's real disk writes (WAL and backend; small writes cost whole pages).
    fromDiskWriteBytes: capacity ? ratio(capacity.etcdWrites.maxDiskWriteBytesPerSecond, cost.etcdWrites.diskWriteBytesPerInstance) : null,
    // The same from the partition-log entry values alone (no keys, heads, other requests): an upper bound.
    fromValueBytes: capacity ? ratio(capacity.valueBytesPerSecond, cost.logBytesPerInstance.writtenToEtcd) : null,
    // What the throughput phase reached, and how much of the capacity it used.
    measuredInstancesPerSecond: cost.window.completedPerSecond,
    utilization: capacityBytes ? round(cost.etcdWrites.clientBytesReceivedPerSecond / capacityBytes, 2) : null,
    note:
      "The capacity is measured with the Zen nodes idle, so etcd has this machine's CPUs to itself; during the throughput phase it shares them with the nodes. " +
      `Its transactions carry ${capacity?.meanTxnKb ?? '—'} KB of values; the nodes' appends carried ${cost.zenAppends.meanKb ?? '—'} KB each — etcd takes fewer bytes per second in smaller transactions. ` +
      "A utilization well below 1 means the throughput phase was bounded by something other than etcd's write bandwidth.",
  };
}
