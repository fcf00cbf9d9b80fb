import type { ExecutableElement } from '../../../model/types.js';
import { boundaryEventProcessor, intermediateCatchEventProcessor } from './catch-events.js';
import { endEventProcessor } from './end-event.js';
import { exclusiveGatewayProcessor, parallelGatewayProcessor } from './gateways.js';
import { jobTaskProcessor } from './job-task.js';
import { processProcessor } from './process.js';
import type { ElementProcessor } from './processor.js';
import { scriptTaskProcessor } from './script-task.js';
import { startEventProcessor } from './start-event.js';

export function processorFor(element: ExecutableElement): ElementProcessor {
  switch (element.type) {
    case 'PROCESS':
      return processProcessor;
    case 'START_EVENT':
      return startEventProcessor;
    case 'END_EVENT':
      return endEventProcessor;
    case 'SERVICE_TASK':
    case 'SEND_TASK':
    case 'BUSINESS_RULE_TASK':
    case 'USER_TASK':
      return jobTaskProcessor;
    case 'SCRIPT_TASK':
      return element.script ? scriptTaskProcessor : jobTaskProcessor;
    case 'EXCLUSIVE_GATEWAY':
      return exclusiveGatewayProcessor;
    case 'PARALLEL_GATEWAY':
      return parallelGatewayProcessor;
    case 'INTERMEDIATE_CATCH_EVENT':
      return intermediateCatchEventProcessor;
    case 'BOUNDARY_EVENT':
      return boundaryEventProcessor;
    case 'SEQUENCE_FLOW':
      throw new Error('Sequence flows are not activated');
  }
}
