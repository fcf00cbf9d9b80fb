import { isElsewhere, returnToCaller } from '../../behaviors/called-processes.js';
import { childValue } from '../../behaviors/element-value.js';
import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { completeScopeWhenIdle, startScopeAt, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { visibleVariables } from '../../behaviors/variables.js';
import { deleteCompensationSubscriptions } from '../../behaviors/compensation.js';
import { endListenersDone } from '../../behaviors/execution-listeners.js';
import { elementProcessor } from './element-processor.js';

export const processProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    // The process listens for its event sub-processes' timers and messages while it runs.
    if (!subscribeToWaitingEvents(ctx, instance, element, model)) return;
    toActivated(ctx, instance);
    const startAt = ctx.activation?.startAt;
    if (startAt) {
      startScopeAt(ctx, instance, model, startAt);
      return;
    }
    // Started by a timer or message start event, or else at the none start event.
    const startId = instance.payload.kind === 'triggered' ? instance.payload.eventId : element.noneStartEventId!;
    const start = model.elements.get(startId)!;
    ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(instance.value, instance.key, start) });
  },
  complete(ctx, instance, element, model) {
    if (!endListenersDone(ctx, instance, element)) return;
    // Started by a call activity: its variables go back to the caller (read before completing removes them).
    const callerKey = instance.value.parentElementInstanceKey;
    const handBack = callerKey > 0n ? visibleVariables(ctx, instance.key) : null;
    closeSubscriptions(ctx, instance);
    deleteCompensationSubscriptions(ctx, instance);
    const waiting = ctx.awaiting.get(instance.key);
    if (waiting) {
      // Read before ELEMENT_COMPLETED: completing the root removes its variables.
      const variables = visibleVariables(ctx, instance.key, waiting.fetchVariables);
      const v = instance.value;
      ctx.deferred.push({
        requestId: waiting.requestId,
        response: {
          ok: true,
          key: instance.key,
          value: {
            processDefinitionKey: v.processDefinitionKey,
            bpmnProcessId: v.bpmnProcessId,
            version: v.version,
            processInstanceKey: instance.key,
            tenantId: v.tenantId,
            variables,
          },
        },
      });
      ctx.onCommit.push(() => ctx.awaiting.remove(instance.key));
    }
    toCompleted(ctx, instance, model, []);
    if (handBack && isElsewhere(ctx, callerKey)) {
      returnToCaller(ctx, instance, handBack);
      return;
    }
    const caller = handBack ? ctx.state.elementInstances.get(callerKey) : undefined;
    if (handBack && caller && caller.state === 'ACTIVATED') {
      const v = caller.value;
      ctx.event('PROCESS_EVENT', 'TRIGGERED', caller.key, { scopeKey: caller.key, targetElementId: v.elementId, variables: handBack, processDefinitionKey: v.processDefinitionKey, processInstanceKey: v.processInstanceKey, tenantId: v.tenantId });
      ctx.enqueue({ kind: 'COMPLETE', key: caller.key });
    }
  },
  onChildCompleted(ctx, scope, _child, flowsTaken) {
    completeScopeWhenIdle(ctx, scope, flowsTaken);
  },
  terminate(ctx, instance) {
    closeSubscriptions(ctx, instance);
    deleteCompensationSubscriptions(ctx, instance);
    const waiting = ctx.awaiting.get(instance.key);
    if (!waiting) return;
    ctx.deferred.push({
      requestId: waiting.requestId,
      response: {
        ok: false,
        rejectionType: 'INVALID_STATE',
        reason: `Process instance ${instance.key} was terminated before it completed`,
      },
    });
    ctx.onCommit.push(() => ctx.awaiting.remove(instance.key));
  },
});
