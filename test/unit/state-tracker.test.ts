import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { StateTracker } from '../../src/state/state-tracker.js';

const state = (a: number, b: number, extra: Record<string, unknown> = {}) => ({ bookmarks: { a: { lsn: a }, b: { lsn: b } }, ...extra });

function tracker(): StateTracker {
  const t = new StateTracker();
  t.knowStream('a');
  t.knowStream('b');
  return t;
}

describe('StateTracker (the safe-state rule)', () => {
  it('a state with nothing pending is safe at once', () => {
    const t = tracker();
    t.onState(state(1, 1), 1);
    assert.deepEqual(t.takeEmittable(), state(1, 1));
  });

  it('the first state is not adopted while records before it are pending (S1)', () => {
    const t = tracker();
    t.hold(1, 'a', 1);
    t.onState({ bookmarks: { a: { lsn: 1 } }, marker: 1 }, 2);
    assert.equal(t.takeEmittable(), undefined);
    t.commit(1);
    assert.deepEqual(t.takeEmittable(), { bookmarks: { a: { lsn: 1 } }, marker: 1 });
  });

  it('a stream whose records are committed releases its own bookmark only (S2, S3)', () => {
    const t = tracker();
    t.onState(state(1, 1, { currently_syncing: 'a' }), 1);
    assert.deepEqual(t.takeEmittable(), state(1, 1, { currently_syncing: 'a' }));
    t.hold(1, 'a', 2);
    t.hold(2, 'b', 3);
    t.onState(state(5, 6, { currently_syncing: 'b' }), 4);
    t.commit(2);
    // b's records before the state are committed; a's are not; other keys stay at the safe state.
    assert.deepEqual(t.takeEmittable(), state(1, 6, { currently_syncing: 'a' }));
    t.commit(1);
    assert.deepEqual(t.takeEmittable(), state(5, 6, { currently_syncing: 'b' }));
  });

  it('a bookmark is released from the latest state before the stream\'s first pending record', () => {
    const t = tracker();
    t.hold(1, 'a', 1);
    t.onState(state(1, 1), 2);
    t.hold(2, 'b', 3);
    t.onState(state(2, 2), 4);
    t.commit(1);
    // a: nothing pending, so the latest state's bookmark; b: the state before record 3.
    assert.deepEqual(t.takeEmittable(), { bookmarks: { a: { lsn: 2 }, b: { lsn: 1 } } });
  });

  it('bookmark keys that name no known stream wait for a fully safe state', () => {
    const t = tracker();
    t.hold(1, 'a', 1);
    t.onState({ bookmarks: { a: 1, elsewhere: 9 } }, 2);
    assert.deepEqual(t.takeEmittable(), undefined);
    t.onState({ bookmarks: { a: 2, elsewhere: 10 } }, 3);
    t.commit(1);
    assert.deepEqual(t.takeEmittable(), { bookmarks: { a: 2, elsewhere: 10 } });
  });

  it('a hold that never commits (failed load) keeps every later state back', () => {
    const t = tracker();
    t.onState(state(1, 1), 1);
    t.takeEmittable();
    t.hold(1, 'a', 2);
    t.onState(state(2, 2), 3);
    t.hold(2, 'a', 4);
    t.onState(state(3, 3), 5);
    t.commit(2);
    // b has nothing pending: its bookmark moves on; a's does not pass its failed batch.
    assert.deepEqual(t.takeEmittable(), { bookmarks: { a: { lsn: 1 }, b: { lsn: 3 } } });
  });

  it('never hands out a repeat or an empty state', () => {
    const t = tracker();
    assert.equal(t.takeEmittable(), undefined);
    t.onState({}, 1);
    assert.equal(t.takeEmittable(), undefined);
    t.onState(state(1, 1), 2);
    assert.deepEqual(t.takeEmittable(), state(1, 1));
    assert.equal(t.takeEmittable(), undefined);
  });

  it('a state that is not an object is emitted whole once safe', () => {
    const t = tracker();
    t.hold(1, 'a', 1);
    t.onState('opaque-cursor', 2);
    assert.equal(t.takeEmittable(), undefined);
    t.commit(1);
    assert.equal(t.takeEmittable(), 'opaque-cursor');
  });

  it('keeps its own copy of states', () => {
    const t = tracker();
    const s = state(1, 1);
    t.onState(s, 1);
    s.bookmarks.a.lsn = 99;
    assert.deepEqual(t.takeEmittable(), state(1, 1));
  });
});
