// npm run test:reliability — the reliability suite: each part is a script of its own, run one after
// another in a child process, printing its figures as JSON lines. RELIABILITY_SHORT=1 runs the short
// versions (CI); RELIABILITY_ONLY=crash,fuzz runs some parts. Exits non-zero when any part fails.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const short = process.env['RELIABILITY_SHORT'] === '1';

/** Each part: its script and the environment of its short version. */
const parts: Array<{
  name: string;
  script: string;
  shortEnvironment: NodeJS.ProcessEnv;
  inShortRun?: boolean;
}> = [
  { name: 'webhooks', script: 'bench/webhooks.ts', shortEnvironment: { BENCH_SECONDS: '3' } },
  { name: 'freshness', script: 'test/reliability/freshness.ts', shortEnvironment: {} },
  { name: 'inbound', script: 'test/reliability/inbound.ts', shortEnvironment: {} },
  { name: 'inbound-texts', script: 'test/reliability/inbound-texts.ts', shortEnvironment: {} },
  { name: 'faults', script: 'test/reliability/vendor-faults.ts', shortEnvironment: {} },
  { name: 'crash', script: 'test/reliability/crash.ts', shortEnvironment: {} },
  // Not in CI's short run yet: one run raised partial-write flags after their area had reported,
  // not yet explained (docs/reliability.md). RELIABILITY_ONLY=fuzz runs it.
  { name: 'fuzz', script: 'test/reliability/fuzz.ts', shortEnvironment: {}, inShortRun: false },
];

const only = process.env['RELIABILITY_ONLY']?.split(',').map((name) => name.trim());
const chosen = parts.filter((part) =>
  only ? only.includes(part.name) : !short || part.inShortRun !== false,
);

function run(part: (typeof parts)[number]): Promise<{ code: number; figures: string[]; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', part.script], {
      cwd: root,
      env: { ...process.env, ...(short ? part.shortEnvironment : {}), RELIABILITY_SHORT: short ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const figures: string[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('{"bench"')) figures.push(line);
        process.stdout.write(`${line}\n`);
      }
    });
    child.on('close', (code) =>
      resolve({ code: code ?? 1, figures, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const failed: string[] = [];
for (const part of chosen) {
  const result = await run(part);
  process.stdout.write(
    `${JSON.stringify({ reliability: part.name, short, exit: result.code, figures: result.figures.length, seconds: Math.round(result.seconds) })}\n`,
  );
  if (result.code !== 0 || result.figures.length === 0) failed.push(part.name);
}
if (failed.length > 0) {
  process.stderr.write(`reliability parts failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
