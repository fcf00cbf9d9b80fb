#!/usr/bin/env node
/**
 * FEEL evaluations per second: Zen's compiler (compiled once, evaluated many times) beside feelin
 * (which parses on every call) on the same expressions and variables. In-process, no I/O.
 *
 *   npm run bench:feel            (builds first)
 */
import { evaluate as feelinEvaluate } from 'feelin';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { compileFeel } = await import(join(root, 'dist/feel/lang/index.js'));

const variables = {
  amount: 1250,
  price: 19.99,
  quantity: 7,
  customer: { name: 'Ann', tier: 'gold', since: '2019-04-01' },
  items: Array.from({ length: 20 }, (_, i) => ({ id: i, price: i * 3.5, category: i % 3 === 0 ? 'books' : 'games' })),
  name: 'order-4711',
  orderDate: '2025-03-01',
};

const EXPRESSIONS = [
  ['comparison', 'amount > 1000'],
  ['arithmetic', 'price * quantity + 4.5'],
  ['boolean logic', 'amount > 1000 and customer.tier = "gold" or quantity < 3'],
  ['context literal', '{total: price * quantity, vip: customer.tier = "gold"}'],
  ['list filter', 'items[price > 30]'],
  ['filter + aggregate', 'sum(items[category = "books"].price)'],
  ['string function', 'upper case(substring(name, 1, 5))'],
  ['string concat', '"Dear " + customer.name + ","'],
  ['date subtraction', 'date("2025-03-15") - date(orderDate)'],
  ['if-then-else', 'if amount > 1000 then "large" else "small"'],
  ['for loop', 'for i in 1..10 return i * i'],
  ['quantifier', 'some item in items satisfies item.price > 60'],
];

const DURATION_MS = Number(process.env.FEEL_BENCH_MS ?? 400);

function measure(fn) {
  for (let i = 0; i < 200; i++) fn();
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (let i = 0; i < 100; i++) fn();
    count += 100;
    elapsed = performance.now() - started;
  }
  return (count / elapsed) * 1000;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(11);
console.log(`${'expression'.padEnd(20)} ${'zen ev/s'.padStart(11)} ${'feelin ev/s'.padStart(11)}  ratio`);
let zenTotal = 0;
let feelinTotal = 0;
for (const [label, source] of EXPRESSIONS) {
  const compiled = compileFeel(source, { profile: 'dmn', knownNames: Object.keys(variables) });
  if (!compiled.ok) throw new Error(compiled.message);
  const zen = measure(() => compiled.evaluate(variables));
  const feelin = measure(() => feelinEvaluate(source, variables));
  zenTotal += 1 / zen;
  feelinTotal += 1 / feelin;
  console.log(`${label.padEnd(20)} ${fmt(zen)} ${fmt(feelin)}  ${(zen / feelin).toFixed(1)}x`);
}
const n = EXPRESSIONS.length;
console.log(`${'harmonic mean'.padEnd(20)} ${fmt(n / zenTotal)} ${fmt(n / feelinTotal)}  ${(feelinTotal / zenTotal).toFixed(1)}x`);
