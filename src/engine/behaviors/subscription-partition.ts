/**
 * Which partition holds the message side of a correlation key. Stable across nodes and
 * restarts (it decides where messages and subscriptions meet), so it is a plain string hash.
 */
export function subscriptionPartition(correlationKey: string, partitionCount: number): number {
  let hash = 0;
  for (let i = 0; i < correlationKey.length; i++) hash = (Math.imul(hash, 31) + correlationKey.charCodeAt(i)) | 0;
  return (Math.abs(hash) % partitionCount) + 1;
}
