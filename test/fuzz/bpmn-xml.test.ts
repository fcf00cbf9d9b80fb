/**
 * Fuzz target 1, BPMN XML: documents from a grammar of BPMN elements and attributes, mutated
 * (attributes dropped, duplicated, renamed or set to wrong references, bad FEEL and huge
 * values; elements dropped, duplicated, renamed or nested thousands deep; DOCTYPEs, entity
 * bombs and XXE; invalid UTF-8; truncation), and the randomized engine test's valid models
 * with text mutations, deployed through the model layer and a real node.
 */
import fc from 'fast-check';
import { randomProcess } from '../support/random-process.js';
import { describeDeployTarget } from './deploy-target.js';
import { bpmnDocument } from './bpmn-grammar.js';
import { mutatedDocument, mutatedText } from './xml-documents.js';

/** The randomized engine test's valid models (test/support/random-process.ts), mutated as text. */
const randomGraphs = mutatedText(fc.nat({ max: 1_000_000 }).map((seed) => randomProcess(seed).xml));

describeDeployTarget({
  target: 'bpmn',
  extension: '.bpmn',
  documents: fc.oneof({ weight: 3, arbitrary: mutatedDocument(bpmnDocument) }, randomGraphs),
  modelRuns: 300,
  nodeRuns: 120,
});
