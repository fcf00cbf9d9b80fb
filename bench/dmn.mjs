// DMN benchmark (`npm run bench:dmn`), issue 9:
//  1. in-process evaluations/s of a 100-rule decision table with 5 inputs, hit policy FIRST and
//     COLLECT SUM, and of a 3-decision requirements graph (src/dmn, compiled once);
//  2. FEEL evaluations/s of Zen's compiler beside feelin on the same expressions (bench/feel.mjs);
//  3. EvaluateDecision over gRPC against a started node: p50/p99 at a fixed rate, open loop.
// BENCH_DMN_MS (default 2000) is each in-process measurement; BENCH_DMN_RATE (default 200/s)
// and BENCH_DMN_SECONDS (default 10) shape the gRPC phase.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatewayClient } from './grpc-client.mjs';
import { percentile, sleep, startNode } from './phases.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { compileDmnXml, evaluateDecision } = await import(join(root, 'dist/dmn/index.js'));
const MS = Number(process.env.BENCH_DMN_MS ?? 2000);
const RATE = Number(process.env.BENCH_DMN_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_DMN_SECONDS ?? 10);
const NS = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

/** 100 rules over 5 inputs (a number range, a string, a boolean, a number, a string list member). */
function table(hitPolicy, aggregation) {
  const inputs = [
    ['amount', 'number'],
    ['category', 'string'],
    ['member', 'boolean'],
    ['age', 'number'],
    ['region', 'string'],
  ];
  const rules = Array.from({ length: 100 }, (_, i) => {
    const entries = [`[${i * 10}..${i * 10 + 9}]`, `"c${i % 7}"`, i % 2 === 0 ? 'true' : '-', `>= ${i % 50}`, `"r${i % 5}","r${(i + 1) % 5}"`];
    return `<rule id="r${i}">${entries.map((t) => `<inputEntry><text>${t.replace(/>/g, '&gt;')}</text></inputEntry>`).join('')}<outputEntry><text>${i}</text></outputEntry></rule>`;
  }).join('');
  const aggregationAttr = aggregation ? ` aggregation="${aggregation}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><definitions xmlns="${NS}" id="bench_${hitPolicy}" name="bench" namespace="bench">
  ${inputs.map(([n, t]) => `<inputData id="${n}" name="${n}"><variable name="${n}" typeRef="${t}"/></inputData>`).join('')}
  <decision id="score" name="score"><variable name="score" typeRef="number"/>
    ${inputs.map(([n]) => `<informationRequirement><requiredInput href="#${n}"/></informationRequirement>`).join('')}
    <decisionTable hitPolicy="${hitPolicy}"${aggregationAttr}>
      ${inputs.map(([n, t]) => `<input id="in_${n}"><inputExpression typeRef="${t}"><text>${n}</text></inputExpression></input>`).join('')}
      <output id="out" name="score" typeRef="number"/>${rules}
    </decisionTable></decision></definitions>`;
}

/** A graph of three decisions: two tables feeding a literal expression. */
const DRG = `<?xml version="1.0" encoding="UTF-8"?><definitions xmlns="${NS}" id="drg" name="drg" namespace="bench">
  <inputData id="amount" name="amount"><variable name="amount" typeRef="number"/></inputData>
  <inputData id="tier" name="tier"><variable name="tier" typeRef="string"/></inputData>
  <decision id="risk" name="risk"><variable name="risk" typeRef="string"/><informationRequirement><requiredInput href="#amount"/></informationRequirement>
    <decisionTable hitPolicy="UNIQUE"><input id="a"><inputExpression typeRef="number"><text>amount</text></inputExpression></input><output id="o1" name="risk" typeRef="string"/>
      <rule><inputEntry><text>&lt; 1000</text></inputEntry><outputEntry><text>"low"</text></outputEntry></rule>
      <rule><inputEntry><text>[1000..10000]</text></inputEntry><outputEntry><text>"medium"</text></outputEntry></rule>
      <rule><inputEntry><text>&gt; 10000</text></inputEntry><outputEntry><text>"high"</text></outputEntry></rule></decisionTable></decision>
  <decision id="discount" name="discount"><variable name="discount" typeRef="number"/><informationRequirement><requiredInput href="#tier"/></informationRequirement>
    <decisionTable hitPolicy="FIRST"><input id="t"><inputExpression typeRef="string"><text>tier</text></inputExpression></input><output id="o2" name="discount" typeRef="number"/>
      <rule><inputEntry><text>"gold"</text></inputEntry><outputEntry><text>0.15</text></outputEntry></rule>
      <rule><inputEntry><text>"silver"</text></inputEntry><outputEntry><text>0.05</text></outputEntry></rule>
      <rule><inputEntry><text>-</text></inputEntry><outputEntry><text>0</text></outputEntry></rule></decisionTable></decision>
  <decision id="offer" name="offer"><variable name="offer" typeRef="context"/>
    <informationRequirement><requiredDecision href="#risk"/></informationRequirement><informationRequirement><requiredDecision href="#discount"/></informationRequirement><informationRequirement><requiredInput href="#amount"/></informationRequirement>
    <literalExpression><text>{approved: risk != "high", price: amount * (1 - discount)}</text></literalExpression></decision>
</definitions>`;

function measure(fn) {
  for (let i = 0; i < 200; i++) fn(i);
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < MS) {
    for (let i = 0; i < 50; i++) fn(count + i);
    count += 50;
  }
  return Math.round(count / ((performance.now() - started) / 1000));
}

function inProcess() {
  const out = {};
  for (const [name, xml, decision] of [
    ['table100FirstPerSecond', table('FIRST'), 'score'],
    ['table100CollectSumPerSecond', table('COLLECT', 'SUM'), 'score'],
    ['drg3DecisionsPerSecond', DRG, 'offer'],
  ]) {
    const compiled = compileDmnXml(xml);
    if (!compiled.ok) throw new Error(`${name}: ${compiled.message}`);
    const inputs = Array.from({ length: 64 }, (_, i) => ({ amount: (i * 157) % 1000, category: `c${i % 7}`, member: i % 3 === 0, age: (i * 7) % 60, region: `r${i % 5}`, tier: ['gold', 'silver', 'none'][i % 3] }));
    const check = evaluateDecision(compiled.model, decision, inputs[0]);
    if (check.failure) throw new Error(`${name}: ${check.failure}`);
    out[name] = measure((i) => evaluateDecision(compiled.model, decision, inputs[i % inputs.length]));
  }
  return out;
}

function feelVersusFeelin() {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [join(root, 'bench/feel.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('exit', () => resolvePromise(text.trim()));
  });
}

async function overGrpc() {
  const dataDir = mkdtempSync(join(tmpdir(), 'zen-bench-dmn-'));
  const node = await startNode(dataDir);
  const client = gatewayClient(`127.0.0.1:${node.grpcPort}`);
  try {
    await client.deployResource({ resources: [{ name: 'drg.dmn', content: Buffer.from(DRG) }] });
    const latencies = [];
    let errors = 0;
    const pending = [];
    const started = performance.now();
    let sent = 0;
    while (performance.now() - started < SECONDS * 1000) {
      const wait = started + (sent * 1000) / RATE - performance.now();
      if (wait > 1) await sleep(wait);
      const t0 = performance.now();
      pending.push(
        client
          .evaluateDecision({ decisionId: 'offer', variables: JSON.stringify({ amount: (sent * 37) % 20000, tier: sent % 2 ? 'gold' : 'none' }) })
          .then((r) => (r.failureMessage ? errors++ : latencies.push(performance.now() - t0)), () => errors++),
      );
      sent++;
    }
    await Promise.all(pending);
    latencies.sort((a, b) => a - b);
    return { rate: RATE, seconds: SECONDS, requests: sent, errors, p50Ms: +percentile(latencies, 50).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1) };
  } finally {
    client.close();
    node.child.kill('SIGTERM');
    await new Promise((r) => node.child.on('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const result = { inProcess: inProcess(), evaluateDecisionOverGrpc: await overGrpc() };
console.log(JSON.stringify(result, null, 2));
console.log(await feelVersusFeelin());
