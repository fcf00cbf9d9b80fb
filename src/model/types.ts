/**
 * The executable form of a BPMN process: what the engine runs. Built once per deployed
 * process by `compileBpmn`; immutable afterwards. Processors read only these types, never XML.
 */
import type { DmnModel } from '../dmn/index.js';
import type { Expression } from '../feel/expression.js';

/** Element kinds, named as Zeebe names them in records (`bpmnElementType`). */
export type BpmnElementType =
  | 'PROCESS'
  | 'START_EVENT'
  | 'END_EVENT'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'BOUNDARY_EVENT'
  | 'TASK'
  | 'MANUAL_TASK'
  | 'RECEIVE_TASK'
  | 'SERVICE_TASK'
  | 'SEND_TASK'
  | 'BUSINESS_RULE_TASK'
  | 'SCRIPT_TASK'
  | 'USER_TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'COMPLEX_GATEWAY'
  | 'SUB_PROCESS'
  | 'EVENT_SUB_PROCESS'
  | 'CALL_ACTIVITY'
  | 'MULTI_INSTANCE_BODY'
  | 'AD_HOC_SUB_PROCESS'
  | 'AD_HOC_SUB_PROCESS_INNER_INSTANCE'
  | 'SEQUENCE_FLOW';

/** Event definition kinds, named as Zeebe names them in records (`bpmnEventType`). */
export type BpmnEventType = 'UNSPECIFIED' | 'NONE' | 'TIMER' | 'MESSAGE' | 'SIGNAL' | 'ERROR' | 'ESCALATION' | 'LINK' | 'TERMINATE' | 'CONDITIONAL' | 'COMPENSATION';

/** `zeebe:input` / `zeebe:output`: evaluate `source` and write it to `target` (may be a dotted path). */
export interface VariableMapping {
  readonly source: Expression;
  readonly target: string;
}

/** `zeebe:taskDefinition` and friends, for every element that becomes a job. */
export interface JobDefinition {
  /** Job type; FEEL allowed. */
  readonly type: Expression;
  /** Retries; FEEL allowed; defaults to static "3". */
  readonly retries: Expression;
  /**
   * `zeebe:taskHeaders` as given, plus the user-task headers for user tasks whose values are
   * static. FEEL-valued user-task properties are in `userTask` and must be added at activation.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Set on user tasks: the properties Zeebe turns into `io.camunda.zeebe:*` job headers. */
  readonly userTask?: UserTaskDefinition;
}

/**
 * A user task's assignment and schedule. Each expression is null when not modelled. Static values
 * are already in `JobDefinition.headers`; a FEEL one is evaluated when the task activates and
 * written to its header: assignee as a string, candidate groups/users as a JSON array of strings
 * (`["a","b"]`), due/follow-up dates as ISO date-times.
 */
export interface UserTaskDefinition {
  readonly assignee: Expression | null;
  readonly candidateGroups: Expression | null;
  readonly candidateUsers: Expression | null;
  readonly dueDate: Expression | null;
  readonly followUpDate: Expression | null;
  readonly formKey: string | null;
}

/** The user task events a task listener can wait on (`zeebe:taskListener eventType`). */
export type TaskListenerEventType = 'creating' | 'assigning' | 'updating' | 'completing' | 'canceling';

/** `zeebe:taskListener`: a job of `type` that the task's transition waits for. */
export interface TaskListenerDefinition {
  readonly eventType: TaskListenerEventType;
  readonly type: string;
  readonly retries: number;
}

/** When an execution listener runs: before the element's own behaviour, or before it completes. */
export type ExecutionListenerEventType = 'start' | 'end';

/**
 * `zeebe:executionListener`: a job the element waits for as it starts or ends. Type and retries
 * may be FEEL, evaluated when the listener's job is created; `headers` are the listener's own
 * `zeebe:taskHeaders`, laid over the element's.
 */
export interface ExecutionListenerDefinition {
  readonly eventType: ExecutionListenerEventType;
  readonly type: Expression;
  readonly retries: Expression;
  readonly headers: Readonly<Record<string, string>>;
}

/** `zeebe:formDefinition` of a Camunda user task: a deployed form by id, or an external reference. */
export type UserTaskFormDefinition =
  | {
      readonly kind: 'linked';
      readonly formId: Expression;
      readonly bindingType: 'latest' | 'deployment' | 'versionTag';
      readonly versionTag: string | null;
    }
  | { readonly kind: 'external'; readonly reference: Expression };

/**
 * A Camunda user task (`zeebe:userTask`): the engine keeps the task itself (USER_TASK records),
 * no job. Each expression is null when not modelled; all are evaluated when the task activates.
 */
export interface CamundaUserTaskDefinition {
  readonly assignee: Expression | null;
  readonly candidateGroups: Expression | null;
  readonly candidateUsers: Expression | null;
  readonly dueDate: Expression | null;
  readonly followUpDate: Expression | null;
  /** `zeebe:priorityDefinition`; null means Zeebe's default, 50. */
  readonly priority: Expression | null;
  readonly form: UserTaskFormDefinition | null;
  /** `zeebe:taskHeaders`, the task record's customHeaders. */
  readonly headers: Readonly<Record<string, string>>;
  /** In model order; those of one event type run one after the other. */
  readonly listeners: readonly TaskListenerDefinition[];
}

/** A timer event definition. Exactly one of the three forms is set in the XML. */
export interface TimerDefinition {
  readonly kind: 'duration' | 'date' | 'cycle';
  /** Evaluates to an ISO-8601 duration / date-time / repeating interval (or a FEEL temporal). */
  readonly expression: Expression;
}

export interface MessageDefinition {
  /** Message name; FEEL allowed. */
  readonly name: Expression;
  /** `zeebe:subscription correlationKey`; required on catch events. */
  readonly correlationKey: Expression | null;
}

export interface ErrorDefinition {
  /**
   * The error code this event catches (boundary) or throws (end event). `null` on a boundary
   * event means "catch every error".
   */
  readonly errorCode: string | null;
}

/** `zeebe:calledElement`: the process a call activity starts, and what variables cross. */
export interface CalledElementDefinition {
  /** The called process's BPMN id; FEEL allowed. */
  readonly processId: Expression;
  /** Which version: the latest, the one deployed with the caller, or the latest with `versionTag`. */
  readonly bindingType: 'latest' | 'deployment' | 'versionTag';
  readonly versionTag: string | null;
  /** The child's variables go back to the caller (without output mappings). */
  readonly propagateAllChildVariables: boolean;
  /** The caller's visible variables go to the child (else only the call activity's input mappings). */
  readonly propagateAllParentVariables: boolean;
}

/** `bpmn:multiInstanceLoopCharacteristics` with `zeebe:loopCharacteristics`. */
export interface MultiInstanceDefinition {
  readonly sequential: boolean;
  /** Evaluates to the list whose items the inner activity runs for. */
  readonly inputCollection: Expression;
  /** The inner instance's local variable holding its item; null: none. */
  readonly inputElement: string | null;
  /** The variable collecting one `outputElement` per item, in item order; null: none. */
  readonly outputCollection: string | null;
  readonly outputElement: Expression | null;
  /** Checked as each inner instance completes; true ends the loop early. */
  readonly completionCondition: Expression | null;
}

/**
 * `bpmn:adHocSubProcess` with `zeebe:adHoc`: inner activities run when asked for (on entry by
 * `activeElementsCollection`, later through ActivateAdHocSubProcessActivities), each in an inner
 * instance of its own.
 */
export interface AdHocDefinition {
  /** Evaluated on entry: the ids of the activities to activate. Null: none. */
  readonly activeElementsCollection: Expression | null;
  /** Checked in the ad-hoc sub-process's scope as each inner instance completes; null: complete once idle. */
  readonly completionCondition: Expression | null;
  /** Whether inner instances still running are terminated once the completion condition holds. */
  readonly cancelRemainingInstances: boolean;
  /** The local list collecting one `outputElement` per completed inner instance; null: none. */
  readonly outputCollection: string | null;
  readonly outputElement: Expression | null;
  /** The elements that may be activated: those inside without incoming sequence flows. */
  readonly activityIds: readonly string[];
  /** The id inner instances carry: `<id>#innerInstance`, as in Zeebe. */
  readonly innerInstanceId: string;
}

export interface SignalDefinition {
  /** The signal's name; FEEL allowed (static on start events). */
  readonly name: Expression;
}

export interface EscalationDefinition {
  /** The code thrown (throw and end events) or caught (boundary events; null catches every escalation). */
  readonly escalationCode: string | null;
}

/** Which variable changes make a conditional event look at its condition again (`zeebe:conditionalFilter`). */
export type VariableEventKind = 'create' | 'update';

/**
 * A conditional event definition: a FEEL `bpmn:condition` and its optional `zeebe:conditionalFilter`.
 * Empty filter lists mean "any variable" / "any change".
 */
export interface ConditionalDefinition {
  readonly condition: Expression;
  readonly variableNames: readonly string[];
  readonly variableEvents: readonly VariableEventKind[];
}

/**
 * A compensation event. On a boundary event: the compensation handler its association leads to.
 * On an intermediate throw or end event: the activity to compensate (same scope), or null for
 * every completed activity of the scope.
 */
export interface CompensationDefinition {
  readonly handlerId: string | null;
  readonly activityRef: string | null;
}

/** `zeebe:script`: an inline FEEL expression whose result is written to `resultVariable`. */
export interface ScriptDefinition {
  readonly expression: Expression;
  readonly resultVariable: string;
}

/** `zeebe:calledDecision`: a decision the engine evaluates, its result written to `resultVariable`. */
export interface CalledDecisionDefinition {
  readonly decisionId: Expression;
  readonly resultVariable: string;
  readonly bindingType: 'latest' | 'deployment' | 'versionTag';
  readonly versionTag: string | null;
}

export interface ExecutableElement {
  readonly id: string;
  readonly name: string | null;
  readonly type: BpmnElementType;
  readonly eventType: BpmnEventType;
  /** Id of the containing scope (the process id for top-level elements); null for the process itself. */
  readonly flowScopeId: string | null;
  /** Ids of incoming / outgoing sequence flows, in document order. */
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly inputMappings: readonly VariableMapping[];
  readonly outputMappings: readonly VariableMapping[];
  /** Set on tasks that are executed by job workers (and on user tasks). */
  readonly job: JobDefinition | null;
  /** Set on Camunda user tasks (`zeebe:userTask`); job-worker user tasks have `job` instead. */
  readonly userTask: CamundaUserTaskDefinition | null;
  /** Set on script tasks that carry `zeebe:script` instead of a task definition. */
  readonly script: ScriptDefinition | null;
  /** Set on business rule tasks that carry `zeebe:calledDecision` instead of a task definition. */
  readonly calledDecision: CalledDecisionDefinition | null;
  /**
   * Inclusive and complex gateways that join (more than one incoming flow): the elements of the same scope
   * from which a token can still reach the gateway (through flows and boundary events).
   */
  readonly joinUpstream: readonly string[] | null;
  /** Exclusive, inclusive and complex gateways: id of the default flow. */
  readonly defaultFlowId: string | null;
  readonly timer: TimerDefinition | null;
  readonly message: MessageDefinition | null;
  readonly error: ErrorDefinition | null;
  readonly escalation: EscalationDefinition | null;
  readonly signal: SignalDefinition | null;
  readonly conditional: ConditionalDefinition | null;
  /**
   * Complex gateways that join: the FEEL condition that fires the gateway as tokens arrive
   * (it sees `activationCount` and `activationCounts` besides the variables); null on a pure fork.
   */
  readonly activationCondition: Expression | null;
  /**
   * Joining complex gateways, per incoming flow: the elements of the same scope from which a token
   * can still reach the gateway along that flow (the reset phase waits for them).
   */
  readonly flowUpstream: Readonly<Record<string, readonly string[]>> | null;
  readonly compensation: CompensationDefinition | null;
  /**
   * Activities marked `isForCompensation`: they run only as a compensation handler, activated by a
   * compensation throw event (never by a sequence flow).
   */
  readonly isForCompensation: boolean;
  /**
   * Boundary events: the activity they are attached to, and whether they interrupt it. The start
   * event of an event sub-process: whether it interrupts its scope (`isInterrupting`).
   */
  readonly attachedToId: string | null;
  readonly cancelActivity: boolean;
  /** Activities: ids of the boundary events attached to them, in document order. */
  readonly boundaryEventIds: readonly string[];
  /** Scopes (the process, sub-processes): the none start event a new instance of the scope begins at. */
  readonly noneStartEventId: string | null;
  /** Scopes: the start events of the event sub-processes directly inside, which the scope listens for while it runs. */
  readonly eventSubProcessStartIds: readonly string[];
  /** Call activities: the process they start. */
  readonly calledElement: CalledElementDefinition | null;
  /** Multi-instance bodies (and the activity as drafted): the loop. */
  readonly multiInstance: MultiInstanceDefinition | null;
  /** Multi-instance bodies: the activity run once per item (same id; its own type, job, mappings). */
  readonly innerActivity: ExecutableElement | null;
  /** Ad-hoc sub-processes: what runs inside and when it completes. */
  readonly adHoc: AdHocDefinition | null;
  /** Link events: the link's name; a throw also names the catch it continues at (same scope, same name). */
  readonly link: { readonly name: string; readonly catchId: string | null } | null;
  /** `zeebe:executionListeners`, in model order (a multi-instance activity: on its inner activity). */
  readonly executionListeners: readonly ExecutionListenerDefinition[];
}

export interface ExecutableSequenceFlow {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
  /** `conditionExpression`, always FEEL in Zeebe; null when absent. */
  readonly condition: Expression | null;
}

export interface ExecutableProcess {
  /** The BPMN process id, i.e. Zeebe's `bpmnProcessId`. */
  readonly id: string;
  readonly name: string | null;
  /** Every flow node plus the process itself (under its own id), keyed by element id. */
  readonly elements: ReadonlyMap<string, ExecutableElement>;
  readonly flows: ReadonlyMap<string, ExecutableSequenceFlow>;
  /** `zeebe:versionTag`, if the process has one. */
  readonly versionTag?: string | null;
}

/** A form (form-js JSON) as deployed: what the engine needs of it besides its text. */
export interface CompiledForm {
  readonly id: string;
  readonly versionTag: string | null;
}

/** A DMN document as deployed: its definitions (Zeebe's decision requirements) and decisions. */
export interface CompiledDecisionRequirements {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  /** Each decision's id, name and `zeebe:versionTag` ('' when it has none). */
  readonly decisions: ReadonlyArray<{ readonly id: string; readonly name: string; readonly versionTag: string }>;
  readonly model: DmnModel;
}

/** What a valid resource compiles to: a BPMN document's processes, a form, or decisions. */
export interface CompiledResource {
  readonly processes: readonly ExecutableProcess[];
  readonly form?: CompiledForm;
  readonly decisionRequirements?: CompiledDecisionRequirements;
}

/** One validation finding; `elementId` names the element at fault when there is one. */
export interface ModelError {
  readonly elementId: string | null;
  readonly message: string;
}

export type CompileResult =
  | { readonly ok: true; readonly resource: CompiledResource }
  | { readonly ok: false; readonly errors: readonly ModelError[] };
