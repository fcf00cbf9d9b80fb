/** The Modify panel's logic without a browser: picking, variables checked, the instruction built, where an activation can go. */
import { describe, expect, it } from 'vitest';
import { pageSizeFrom } from '../../../console/src/lib/page-size.js';
import {
  activatable,
  ancestorCandidates,
  buildModification,
  enclosingScopes,
  newDraft,
  parseVariableObject,
  togglePick,
  type ActivationDraft,
} from '../../../console/src/pages/instances/modification.js';

describe('modification', () => {
  it('picks an element once and drops it on a second pick, keeping the order', () => {
    expect(togglePick([], 'a')).toEqual(['a']);
    expect(togglePick(['a'], 'b')).toEqual(['a', 'b']);
    expect(togglePick(['a', 'b'], 'a')).toEqual(['b']);
  });

  it('offers tasks, gateways, sub-processes and end events, not start or boundary events', () => {
    for (const type of ['bpmn:ServiceTask', 'bpmn:SubProcess', 'bpmn:ExclusiveGateway', 'bpmn:EndEvent', 'bpmn:IntermediateCatchEvent']) expect(activatable(type), type).toBe(true);
    for (const type of ['bpmn:StartEvent', 'bpmn:BoundaryEvent', 'bpmn:Lane', undefined]) expect(activatable(type), String(type)).toBe(false);
  });

  it('takes variables as a JSON object only, saying what is wrong otherwise', () => {
    expect(parseVariableObject('  ')).toEqual({ value: null });
    expect(parseVariableObject('{"a": 1, "b": "x"}')).toEqual({ value: { a: 1, b: 'x' } });
    const notJson = parseVariableObject('{a: 1}');
    expect('error' in notJson && notJson.error).toMatch(/^Not JSON: .*\{"amount": 100/);
    const array = parseVariableObject('[1]');
    expect('error' in array && array.error).toContain('not an array');
    const text = parseVariableObject('"x"');
    expect('error' in text && text.error).toContain('not "x"');
    const nothing = parseVariableObject('null');
    expect('error' in nothing && nothing.error).toContain('not null');
  });

  it("builds Camunda's instruction: each activation with its variables' scope and ancestor, then the terminations", () => {
    const drafts = new Map<string, ActivationDraft>([
      ['review', { variables: '{"reviewer": "ann"}', scopeId: 'review', ancestorKey: '' }],
      ['inner', { variables: '{"n": 2}', scopeId: '', ancestorKey: '2251799813685300' }],
    ]);
    const built = buildModification(['review', 'prepare', 'inner'], drafts, ['2251799813685290']);
    expect(built).toEqual({
      instruction: {
        activateInstructions: [
          { elementId: 'review', variableInstructions: [{ scopeId: 'review', variables: { reviewer: 'ann' } }] },
          { elementId: 'prepare' },
          { elementId: 'inner', ancestorElementInstanceKey: '2251799813685300', variableInstructions: [{ scopeId: '', variables: { n: 2 } }] },
        ],
        terminateInstructions: [{ elementInstanceKey: '2251799813685290' }],
      },
    });
  });

  it('refuses to build while any activation has bad variables, naming each', () => {
    const drafts = new Map([
      ['a', { ...newDraft('a'), variables: '[]' }],
      ['b', { ...newDraft('b'), variables: 'oops' }],
      ['c', { ...newDraft('c'), variables: '{}' }],
    ]);
    const built = buildModification(['a', 'b', 'c'], drafts, []);
    expect('errors' in built && [...built.errors.keys()]).toEqual(['a', 'b']);
  });

  it('finds the enclosing sub-processes and their running instances as places to activate in', () => {
    const parents = new Map<string, string | null>([
      ['outer', null],
      ['inner', 'outer'],
      ['task', 'inner'],
      ['top', null],
    ]);
    expect(enclosingScopes('task', parents)).toEqual(['inner', 'outer']);
    expect(enclosingScopes('top', parents)).toEqual([]);
    const running = (elementId: string, key: string) => ({ elementId, elementInstanceKey: key });
    const all = [running('outer', '1'), running('inner', '2'), running('inner', '3'), running('top', '4')];
    expect(ancestorCandidates('task', parents, all).map((e) => e.elementInstanceKey)).toEqual(['1', '2', '3']);
    expect(ancestorCandidates('top', parents, all)).toEqual([]);
  });
});

describe('page size from the address', () => {
  it('takes ?rows=N between 1 and 1,000, else the default', () => {
    expect(pageSizeFrom('?rows=2', 1000)).toBe(2);
    expect(pageSizeFrom('?state=ACTIVE&rows=50', 1000)).toBe(50);
    for (const bad of ['', '?rows=0', '?rows=-1', '?rows=1.5', '?rows=1001', '?rows=x']) expect(pageSizeFrom(bad, 100), bad).toBe(100);
  });
});
