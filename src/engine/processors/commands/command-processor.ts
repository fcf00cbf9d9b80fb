import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';

export type CommandProcessor = (ctx: ProcessingContext, command: EngineCommand) => void;
