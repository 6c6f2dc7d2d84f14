// Long work in steps: straight through for the CLI, with turns of the event loop in between for a running app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, UNPACED, runSteps, type Steps } from '../../../src/core/usage/pacer.js';

function* counting(steps: number, log: string[]): Steps<number> {
  for (let i = 0; i < steps; i++) {
    log.push(`step ${i}`);
    yield;
  }
  return steps;
}

/** Notes in `log` every turn the event loop takes until `stop` is called. */
function turns(log: string[]): () => void {
  let timer: NodeJS.Immediate;
  const again = () => {
    log.push('turn');
    timer = setImmediate(again);
  };
  timer = setImmediate(again);
  return () => clearImmediate(timer);
}

test('steps run straight through: every step, the result, no turn of the event loop in between', async () => {
  const log: string[] = [];
  const stop = turns(log);
  assert.equal(runSteps(counting(3, log)), 3);
  assert.equal(await UNPACED.run(counting(2, log)), 2);
  stop();
  assert.deepEqual(log, ['step 0', 'step 1', 'step 2', 'step 0', 'step 1']);
});

test('paced steps give the event loop a turn once a slice of time has run', async () => {
  const log: string[] = [];
  const stop = turns(log);
  // A slice of 0 ms: a turn after every step.
  assert.equal(await new Pacer(0).run(counting(3, log)), 3);
  stop();
  assert.deepEqual(log.slice(0, 6), ['step 0', 'turn', 'step 1', 'turn', 'step 2', 'turn']);
  // A slice longer than the work: no turn asked for.
  const long = new Pacer(60_000);
  assert.equal(long.turn(), null);
  assert.equal(long.pacing, true);
  assert.equal(UNPACED.pacing, false);
});
