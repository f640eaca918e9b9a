// npm run bench:replies: the local reply classifier (#20) on the labelled replies: precision and
// recall per class on the whole set; on the holdout (never tuned on, but known to the rules' author);
// on the fresh replies (written after the first rules, then tuned on once); and on the blind replies
// (written after the second rules, never tuned on); on the held-out files beside it (wild.jsonl: 200
// replies written before the third rules, measured, then tuned on; sealed.jsonl: written after them,
// never tuned on; see test/fixtures/replies/README.md); the promise and return dates read right; and
// the time per reply.
import { existsSync, readFileSync } from 'node:fs';
import { classifyReply } from '../src/replies/classify-reply.js';
import { figuresOf, parseLabelledReplies } from '../src/replies/reply-metrics.js';

const replies = parseLabelledReplies(
  readFileSync(new URL('../test/fixtures/replies/replies.jsonl', import.meta.url), 'utf8'),
);
const passes = Number(process.env['BENCH_PASSES'] ?? 20);
const heldOut = ['wild', 'sealed'].flatMap((set) => {
  const file = new URL(`../test/fixtures/replies/${set}.jsonl`, import.meta.url);
  return existsSync(file) ? [[set, parseLabelledReplies(readFileSync(file, 'utf8'))] as const] : [];
});

for (const [set, subset] of [
  ['all', replies],
  ['holdout', replies.filter((reply) => reply.split === 'holdout')],
  ['fresh', replies.filter((reply) => reply.split === 'fresh')],
  ['blind', replies.filter((reply) => reply.split === 'blind')],
  ...heldOut,
] as const) {
  const figures = figuresOf(subset);
  for (const figure of figures.classes) {
    console.log(JSON.stringify({ bench: 'replies', ...(set === 'all' ? {} : { set }), ...figure }));
  }
  console.log(
    JSON.stringify({
      bench: 'replies',
      ...(set === 'all' ? {} : { set }),
      dates_right: figures.dates.right,
      dates_of: figures.dates.of,
    }),
  );
  // What went wrong, to stderr: the lines a person reads, not the figures a script compares.
  for (const miss of figures.wrong) console.error(JSON.stringify({ set, ...miss }));
}

// Time: every reply classified `passes` times after a warm-up pass; the mean and the slowest reply.
for (const reply of replies) classifyReply(reply);
let slowest = 0;
const started = performance.now();
for (let pass = 0; pass < passes; pass++) {
  for (const reply of replies) {
    const before = performance.now();
    classifyReply(reply);
    slowest = Math.max(slowest, performance.now() - before);
  }
}
const meanMs = (performance.now() - started) / (passes * replies.length);
console.log(
  JSON.stringify({
    bench: 'replies',
    replies: replies.length,
    passes,
    ms_per_reply: Number(meanMs.toFixed(3)),
    slowest_ms: Number(slowest.toFixed(3)),
  }),
);
