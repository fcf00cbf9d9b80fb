/** A DMN model as read from XML (DMN 1.1–1.5), before compilation: texts, not closures. */

export interface Definitions {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly itemDefinitions: readonly ItemDefinition[];
  readonly inputData: readonly InputData[];
  readonly decisions: readonly Decision[];
  readonly bkms: readonly Bkm[];
  readonly decisionServices: readonly DecisionService[];
  readonly imports: readonly Import[];
}

export interface Import {
  readonly name: string;
  readonly namespace: string;
  readonly locationURI?: string;
}

export interface ItemDefinition {
  readonly name: string;
  readonly typeRef?: string;
  readonly isCollection: boolean;
  /** Unary tests the value must satisfy. */
  readonly allowedValues?: string;
  /** DMN 1.5: unary tests on each item of a collection. */
  readonly typeConstraint?: string;
  readonly components: readonly ItemDefinition[];
  readonly functionItem?: { readonly parameters: readonly { name: string; typeRef?: string }[]; readonly outputTypeRef?: string };
}

/** A requirement names its target by id (`#id`, or `namespace#id` for an import). */
export interface Requirements {
  readonly requiredDecisions: readonly string[];
  readonly requiredInputs: readonly string[];
  readonly requiredKnowledge: readonly string[];
}

export interface InputData {
  readonly id: string;
  readonly name: string;
  readonly typeRef?: string;
}

export interface Decision extends Requirements {
  readonly id: string;
  readonly name: string;
  /** `zeebe:versionTag` (Camunda's extension), for bindingType versionTag. */
  readonly versionTag?: string;
  readonly typeRef?: string;
  readonly expression?: Boxed;
}

export interface Bkm {
  readonly id: string;
  readonly name: string;
  readonly typeRef?: string;
  readonly requiredKnowledge: readonly string[];
  readonly logic?: FunctionDefinition;
}

export interface DecisionService {
  readonly id: string;
  readonly name: string;
  readonly typeRef?: string;
  readonly outputDecisions: readonly string[];
  readonly encapsulatedDecisions: readonly string[];
  readonly inputDecisions: readonly string[];
  readonly inputData: readonly string[];
}

export interface Parameter {
  readonly name: string;
  readonly typeRef?: string;
}

export interface FunctionDefinition {
  readonly kind: 'function';
  readonly id?: string;
  readonly typeRef?: string;
  readonly functionKind: 'FEEL' | 'Java' | 'PMML';
  readonly parameters: readonly Parameter[];
  readonly body?: Boxed;
}

export interface DecisionTableInput {
  readonly id?: string;
  readonly label?: string;
  readonly expression: string;
  readonly typeRef?: string;
  readonly inputValues?: string;
}

export interface DecisionTableOutput {
  readonly id?: string;
  readonly name?: string;
  readonly typeRef?: string;
  readonly outputValues?: string;
  readonly defaultOutput?: string;
}

export interface DecisionTableRule {
  readonly id?: string;
  readonly inputEntries: readonly string[];
  readonly outputEntries: readonly string[];
}

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export type Boxed =
  | { readonly kind: 'literal'; readonly id?: string; readonly typeRef?: string; readonly text: string }
  | {
      readonly kind: 'decisionTable';
      readonly id?: string;
      readonly typeRef?: string;
      readonly hitPolicy: HitPolicy;
      readonly aggregation?: Aggregation;
      readonly inputs: readonly DecisionTableInput[];
      readonly outputs: readonly DecisionTableOutput[];
      readonly rules: readonly DecisionTableRule[];
    }
  | { readonly kind: 'context'; readonly id?: string; readonly typeRef?: string; readonly entries: readonly { name?: string; typeRef?: string; value: Boxed }[] }
  | { readonly kind: 'list'; readonly id?: string; readonly typeRef?: string; readonly items: readonly Boxed[] }
  | { readonly kind: 'relation'; readonly id?: string; readonly typeRef?: string; readonly columns: readonly { name: string; typeRef?: string }[]; readonly rows: readonly (readonly Boxed[])[] }
  | { readonly kind: 'invocation'; readonly id?: string; readonly typeRef?: string; readonly callee: Boxed; readonly bindings: readonly { name: string; value?: Boxed }[] }
  | FunctionDefinition
  | { readonly kind: 'conditional'; readonly id?: string; readonly typeRef?: string; readonly if: Boxed; readonly then: Boxed; readonly else: Boxed }
  | { readonly kind: 'for'; readonly id?: string; readonly typeRef?: string; readonly variable: string; readonly in: Boxed; readonly return: Boxed }
  | { readonly kind: 'every' | 'some'; readonly id?: string; readonly typeRef?: string; readonly variable: string; readonly in: Boxed; readonly satisfies: Boxed }
  | { readonly kind: 'filter'; readonly id?: string; readonly typeRef?: string; readonly in: Boxed; readonly match: Boxed }
  | { readonly kind: 'unsupported'; readonly id?: string; readonly typeRef?: string; readonly element: string };
