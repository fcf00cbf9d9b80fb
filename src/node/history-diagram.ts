/**
 * What a diagram of a process shows, read from the history (ADR 010): element statistics of a
 * definition (every partition's, summed per element) or of one instance, the flows an instance
 * took, its call hierarchy (one partition per hop, as parents may run elsewhere), and the
 * definition's BPMN document (from the runtime state of partition 1, which deployed it).
 */
import { ZenError } from '../errors.js';
import { partitionOfKey } from '../engine/state/engine-state.js';
import type { ProcessDefinitionXmlView } from '../engine/read-views.js';
import type { PartitionRead } from '../history/read.js';
import type { PartitionPage } from '../history/search/run.js';
import type { ElementStatistics, HistoryAggregate, SequenceFlowItem } from '../history/statistics/aggregate.js';
import { compileStatisticsFilter } from '../history/statistics/filter.js';
import { sumElementStatistics } from '../history/statistics/merge.js';
import type { CallHierarchyEntry, DiagramReads, HistoryListAnswer, ReadAnswer, ServedBy } from './api.js';
import type { PartitionDirectory } from './local-directory.js';
import { tenantOf } from '../engine/tenants.js';

/**
 * The tenants a caller may read (ZenNode.allowedTenants). Under 'all' the reads are as they
 * always were; otherwise a definition or instance must be found in one of them first, and one
 * that is not (another tenant's, or unknown) is NOT_FOUND, the same answer for both.
 */
export type ReadableTenants = readonly string[] | 'all';

function within(allowed: ReadableTenants, tenantId: unknown): boolean {
  return allowed === 'all' || allowed.includes(tenantOf(typeof tenantId === 'string' ? tenantId : undefined));
}

const definitionNotFound = (key: bigint) => new ZenError('NOT_FOUND', `Expected to find the process definition with key '${key}', but none was found`);
const instanceNotFound = (key: bigint) => new ZenError('NOT_FOUND', `Expected to find the process instance with key '${key}', but none was found`);

/** Deeper than any call chain the engine lets grow; only guards the walk. */
const MAX_HOPS = 1000;

export class HistoryDiagramReads implements DiagramReads {
  constructor(
    private readonly directory: PartitionDirectory,
    private readonly partitionCount: number,
  ) {}

  async processDefinitionStatistics(processDefinitionKey: bigint, filter: unknown, allowed: ReadableTenants = 'all'): Promise<HistoryListAnswer<ElementStatistics>> {
    // Checked here, so a bad filter is a 400 and not a partition's failure.
    compileStatisticsFilter(filter);
    if (allowed !== 'all') await this.processDefinitionXml(processDefinitionKey, allowed);
    const all = Array.from({ length: this.partitionCount }, (_, i) => i + 1);
    const aggregate: HistoryAggregate = { kind: 'definitionElementStatistics', processDefinitionKey, filter: filter ?? {} };
    const answers = await this.readEach(all, { kind: 'historyAggregate', aggregate }, 'element statistics');
    return { items: sumElementStatistics(answers.map((a) => a.value as ElementStatistics[])), servedBy: answers.map((a) => a.servedBy) };
  }

  async processInstanceStatistics(processInstanceKey: bigint, allowed: ReadableTenants = 'all'): Promise<HistoryListAnswer<ElementStatistics>> {
    await this.requireInstance(processInstanceKey, allowed);
    return this.ofInstance(processInstanceKey, { kind: 'instanceElementStatistics', processInstanceKey }, 'element statistics');
  }

  async processInstanceSequenceFlows(processInstanceKey: bigint, allowed: ReadableTenants = 'all'): Promise<HistoryListAnswer<SequenceFlowItem>> {
    await this.requireInstance(processInstanceKey, allowed);
    return this.ofInstance(processInstanceKey, { kind: 'sequenceFlows', processInstanceKey }, 'sequence flows');
  }

  async processInstanceCallHierarchy(processInstanceKey: bigint, allowed: ReadableTenants = 'all'): Promise<HistoryListAnswer<CallHierarchyEntry>> {
    const chain: CallHierarchyEntry[] = [];
    const servedBy: Array<ServedBy & { partitionId: number }> = [];
    const seen = new Set<string>();
    let key: string | undefined = String(processInstanceKey);
    while (key !== undefined && !seen.has(key) && seen.size < MAX_HOPS) {
      seen.add(key);
      const found = await this.instance(BigInt(key));
      // A called instance is of its caller's tenant: the first one decides for the chain.
      if (chain.length === 0 && found && !within(allowed, found.item.tenantId)) throw instanceNotFound(processInstanceKey);
      if (!found) {
        if (chain.length === 0) throw instanceNotFound(processInstanceKey);
        // A parent whose history is gone (retention): the chain starts below it.
        break;
      }
      servedBy.push(found.servedBy);
      const item = found.item;
      chain.push({
        processInstanceKey: String(item.processInstanceKey),
        processDefinitionKey: String(item.processDefinitionKey),
        processDefinitionName: String(item.processDefinitionName ?? item.processDefinitionId),
      });
      key = item.parentProcessInstanceKey as string | undefined;
    }
    // Camunda lists no hierarchy for an instance that is its own root.
    return { items: chain.length > 1 ? chain.reverse() : [], servedBy };
  }

  async processDefinitionXml(processDefinitionKey: bigint, allowed: ReadableTenants = 'all'): Promise<ReadAnswer<string>> {
    const notFound = () => definitionNotFound(processDefinitionKey);
    // Partition 1 deployed every definition and holds each until deleted; the XML lives in its
    // runtime state already, so the history keeps no second copy per partition.
    if (partitionOfKey(processDefinitionKey) !== 1) throw notFound();
    const answer = await this.directory.read(1, { kind: 'processDefinitionXml', key: processDefinitionKey });
    const view = answer.value as ProcessDefinitionXmlView | null;
    if (!view || !within(allowed, view.tenantId)) throw notFound();
    return { value: view.xml, servedBy: answer.servedBy };
  }

  /** An instance the caller may read, by its history row; not found otherwise. */
  private async requireInstance(processInstanceKey: bigint, allowed: ReadableTenants): Promise<void> {
    if (allowed === 'all') return;
    const found = await this.instance(processInstanceKey);
    if (!found || !within(allowed, found.item.tenantId)) throw instanceNotFound(processInstanceKey);
  }

  /** One process instance's history row, from its own partition; null when it has none. */
  private async instance(key: bigint): Promise<{ item: Record<string, unknown>; servedBy: ServedBy & { partitionId: number } } | null> {
    const partitionId = partitionOfKey(key);
    if (partitionId < 1 || partitionId > this.partitionCount) return null;
    const search = { resource: 'processInstances' as const, filter: { processInstanceKey: String(key) }, sort: [], limit: 1 };
    const [answer] = await this.readEach([partitionId], { kind: 'history', search }, 'call hierarchy');
    const item = (answer!.value as PartitionPage).items[0]?.item;
    return item ? { item, servedBy: answer!.servedBy } : null;
  }

  private async ofInstance<T>(processInstanceKey: bigint, aggregate: HistoryAggregate, what: string): Promise<HistoryListAnswer<T>> {
    const partitionId = partitionOfKey(processInstanceKey);
    if (partitionId < 1 || partitionId > this.partitionCount) return { items: [], servedBy: [] };
    const [answer] = await this.readEach([partitionId], { kind: 'historyAggregate', aggregate }, what);
    return { items: answer!.value as T[], servedBy: [answer!.servedBy] };
  }

  /** The read on one replica of each partition; never a partial answer: one failing fails all, naming it. */
  private readEach(partitionIds: readonly number[], read: PartitionRead, what: string): Promise<Array<{ value: unknown; servedBy: ServedBy & { partitionId: number } }>> {
    return Promise.all(
      partitionIds.map(async (partitionId) => {
        try {
          const answer = await this.directory.read(partitionId, read);
          return { value: answer.value, servedBy: { ...answer.servedBy, partitionId } };
        } catch (err) {
          throw new ZenError('UNAVAILABLE', `Partition ${partitionId} could not answer the ${what} read: ${(err as Error).message}`);
        }
      }),
    );
  }
}
