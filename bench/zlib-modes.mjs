// CPU per deflate + inflate of log-entry-like data, in place (deflateRawSync) against zlib's
// callback form (thread pool), from 16 KB to 1 MB: what SYNC_ZLIB_BYTES in
// src/cluster/partition/log-format.ts rests on. `node bench/zlib-modes.mjs`
import { constants, deflateRaw, deflateRawSync, inflateRaw, inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import { serialize } from 'node:v8';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);
const level = constants.Z_BEST_SPEED;

/** Records shaped like element-instance events, serialized as the record codec does (v8). */
function entryOf(bytes) {
  const records = [];
  for (let n = 0; serialize(records).length < bytes; n++) {
    records.push({
      key: 2251799813685248n + BigInt(n * 7919),
      position: n,
      valueType: 'PROCESS_INSTANCE',
      intent: 'ELEMENT_ACTIVATED',
      value: { bpmnProcessId: 'bench', elementId: `task${n % 4}`, processInstanceKey: 2251799813685248n + BigInt(n * 13), version: 1, tenantId: '<default>', variables: { n, sentAt: 1796660000000 + n * 3 } },
    });
  }
  return serialize(records);
}

const results = [];
for (const size of [16e3, 64e3, 128e3, 256e3, 1e6]) {
  const data = entryOf(size);
  const packed = deflateRawSync(data, { level });
  const rounds = Math.max(20, Math.round(4e6 / size));
  const row = { kb: Math.round(data.length / 1024), deflatedKb: Math.round(packed.length / 1024) };
  for (const mode of ['inPlace', 'threadPool']) {
    const before = process.cpuUsage();
    for (let i = 0; i < rounds; i++) {
      if (mode === 'inPlace') {
        deflateRawSync(data, { level });
        inflateRawSync(packed);
      } else {
        await deflate(data, { level });
        await inflate(packed);
      }
    }
    const used = process.cpuUsage(before);
    row[`${mode}CpuUs`] = Math.round((used.user + used.system) / rounds);
  }
  results.push(row);
}
console.log(JSON.stringify({ zlibModes: results }, null, 2));
