/**
 * The element processors by kind, built once by the engine and reached through the
 * processing context (`ctx.processors`): the lifecycle (behaviors/transitions.ts) calls into
 * processors without importing them, so processors may use the lifecycle freely.
 */
import type { BpmnElementType, ExecutableElement } from '../../../model/types.js';
import type { ElementProcessor, ElementProcessorLookup } from '../../processing/context.js';
import { adHocInnerInstanceProcessor, adHocSubProcessProcessor } from './ad-hoc-sub-process.js';
import { callActivityProcessor } from './call-activity.js';
import { complexGatewayProcessor } from './complex-gateway.js';
import { boundaryEventProcessor, intermediateCatchEventProcessor, receiveTaskProcessor } from './catch-events.js';
import { endEventProcessor } from './end-event.js';
import { eventBasedGatewayProcessor } from './event-based-gateway.js';
import { eventSubProcessProcessor } from './event-sub-process.js';
import { exclusiveGatewayProcessor, inclusiveGatewayProcessor, parallelGatewayProcessor } from './gateways.js';
import { jobTaskProcessor } from './job-task.js';
import { userTaskProcessor } from './user-task.js';
import { processProcessor } from './process.js';
import { scriptTaskProcessor } from './script-task.js';
import { businessRuleTaskProcessor } from './business-rule-task.js';
import { multiInstanceBodyProcessor } from './multi-instance.js';
import { passThroughProcessor } from './pass-through.js';
import { startEventProcessor } from './start-event.js';
import { subProcessProcessor } from './sub-process.js';
import { compensationThrowProcessor, escalationThrowProcessor, linkThrowProcessor, signalThrowProcessor } from './throw-events.js';

type ProcessorTable = { readonly [T in Exclude<BpmnElementType, 'SEQUENCE_FLOW'>]: ElementProcessor };

const BY_TYPE: ProcessorTable = {
  PROCESS: processProcessor,
  START_EVENT: startEventProcessor,
  END_EVENT: endEventProcessor,
  SERVICE_TASK: jobTaskProcessor,
  SEND_TASK: jobTaskProcessor,
  BUSINESS_RULE_TASK: jobTaskProcessor,
  USER_TASK: jobTaskProcessor,
  SCRIPT_TASK: jobTaskProcessor,
  EXCLUSIVE_GATEWAY: exclusiveGatewayProcessor,
  PARALLEL_GATEWAY: parallelGatewayProcessor,
  EVENT_BASED_GATEWAY: eventBasedGatewayProcessor,
  INCLUSIVE_GATEWAY: inclusiveGatewayProcessor,
  COMPLEX_GATEWAY: complexGatewayProcessor,
  INTERMEDIATE_CATCH_EVENT: intermediateCatchEventProcessor,
  BOUNDARY_EVENT: boundaryEventProcessor,
  INTERMEDIATE_THROW_EVENT: passThroughProcessor,
  TASK: passThroughProcessor,
  MANUAL_TASK: passThroughProcessor,
  RECEIVE_TASK: receiveTaskProcessor,
  SUB_PROCESS: subProcessProcessor,
  EVENT_SUB_PROCESS: eventSubProcessProcessor,
  MULTI_INSTANCE_BODY: multiInstanceBodyProcessor,
  CALL_ACTIVITY: callActivityProcessor,
  AD_HOC_SUB_PROCESS: adHocSubProcessProcessor,
  AD_HOC_SUB_PROCESS_INNER_INSTANCE: adHocInnerInstanceProcessor,
};

class ElementProcessors implements ElementProcessorLookup {
  of(element: ExecutableElement): ElementProcessor {
    if (element.type === 'SEQUENCE_FLOW') throw new Error('Sequence flows are not activated');
    // A script task with `zeebe:script` is evaluated by the engine; with a task definition it is a job.
    if (element.type === 'SCRIPT_TASK' && element.script) return scriptTaskProcessor;
    // Likewise a business rule task with `zeebe:calledDecision`.
    if (element.type === 'BUSINESS_RULE_TASK' && element.calledDecision) return businessRuleTaskProcessor;
    // A user task with `zeebe:userTask` is kept by the engine; without, it is a job.
    if (element.type === 'USER_TASK' && element.userTask) return userTaskProcessor;
    if (element.type === 'INTERMEDIATE_THROW_EVENT' && element.link) return linkThrowProcessor;
    if (element.type === 'INTERMEDIATE_THROW_EVENT' && element.escalation) return escalationThrowProcessor;
    if (element.type === 'INTERMEDIATE_THROW_EVENT' && element.signal) return signalThrowProcessor;
    if (element.type === 'INTERMEDIATE_THROW_EVENT' && element.compensation) return compensationThrowProcessor;
    return BY_TYPE[element.type];
  }
}

export function createElementProcessors(): ElementProcessorLookup {
  return new ElementProcessors();
}
