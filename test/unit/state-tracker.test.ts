import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { StateTracker } from '../../src/state/state-tracker.js';

const state = (a: number, b: number, extra: Record<string, unknown> = {}) => ({ bookmarks: { a: { lsn: a }, b: { lsn: b } }, ...extra });

describe('StateTracker', () => {
  it('adopts the first state at once, later ones only when nothing is pending', () => {
    const t = new StateTracker();
    t.onState(state(1, 1), false);
    assert.deepEqual(t.takeEmittable(), state(1, 1));
    t.onState(state(2, 2), false);
    assert.equal(t.takeEmittable(), undefined);
    t.onState(state(3, 3), true);
    assert.deepEqual(t.takeEmittable(), state(3, 3));
  });

  it('a flush of one stream releases only that stream bookmark', () => {
    const t = new StateTracker();
    t.onState(state(1, 1, { currently_syncing: 'a' }), true);
    t.takeEmittable();
    t.onState(state(5, 6, { currently_syncing: 'b' }), false);
    t.onStreamsFlushed(['b']);
    assert.deepEqual(t.takeEmittable(), state(1, 6, { currently_syncing: 'a' }));
  });

  it('a full flush releases the latest state', () => {
    const t = new StateTracker();
    t.onState(state(1, 1), true);
    t.takeEmittable();
    t.onState(state(5, 6), false);
    t.onFullFlush();
    assert.deepEqual(t.takeEmittable(), state(5, 6));
  });

  it('never hands out a repeat or an empty state', () => {
    const t = new StateTracker();
    assert.equal(t.takeEmittable(), undefined);
    t.onState({}, true);
    assert.equal(t.takeEmittable(), undefined);
    t.onState(state(1, 1), true);
    assert.deepEqual(t.takeEmittable(), state(1, 1));
    t.onFullFlush();
    assert.equal(t.takeEmittable(), undefined);
  });

  it('keeps its own copy of states', () => {
    const t = new StateTracker();
    const s = state(1, 1);
    t.onState(s, true);
    s.bookmarks.a.lsn = 99;
    assert.deepEqual(t.takeEmittable(), state(1, 1));
  });
});
