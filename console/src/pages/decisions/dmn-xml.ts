/** What the decision page reads from the DMN's XML itself (no imports: unit-tested in node). */

/** Whether dmn-js can draw the DRD: only with its diagram interchange (DMNDI) in the XML. */
export const hasDiagram = (xml: string): boolean => /<([\w.-]+:)?DMNDiagram[\s>/]/.test(xml);
