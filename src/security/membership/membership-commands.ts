/** How the membership services reach partition 1: a GROUP, ROLE or MAPPING_RULE command and its answer (ZenNode). */
export type MembershipValueType = 'GROUP' | 'ROLE' | 'MAPPING_RULE';

export interface MembershipCommands {
  submitMembershipCommand(valueType: MembershipValueType, intent: string, value: object): Promise<unknown>;
}
