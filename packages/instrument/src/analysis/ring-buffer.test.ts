import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

const item = (id: number) => ({ id, v: `e${id}` });

describe('RingBuffer', () => {
  it('keeps at most capacity items, oldest overwritten first, and counts the dropped', () => {
    const ring = new RingBuffer<{ id: number; v: string }>(3);
    for (let i = 1; i <= 5; i++) ring.push(item(i));
    expect(ring.size).toBe(3);
    expect(ring.dropped).toBe(2);
    expect(ring.toArray().map((e) => e.id)).toEqual([3, 4, 5]);
    expect(ring.oldestId).toBe(3);
    expect(ring.newestId).toBe(5);
  });

  it('push returns the overwritten item only when full', () => {
    const ring = new RingBuffer<{ id: number; v: string }>(2);
    expect(ring.push(item(1))).toBeUndefined();
    expect(ring.push(item(2))).toBeUndefined();
    expect(ring.push(item(3))?.id).toBe(1);
  });

  it('replays since an id, across the wrap point', () => {
    const ring = new RingBuffer<{ id: number; v: string }>(4);
    for (let i = 1; i <= 10; i++) ring.push(item(i));
    expect(ring.since(8).map((e) => e.id)).toEqual([9, 10]);
    expect(ring.since(10)).toEqual([]);
    expect(ring.since(99)).toEqual([]);
    // Older than anything retained: everything retained (the caller sees the gap via oldestId).
    expect(ring.since(2).map((e) => e.id)).toEqual([7, 8, 9, 10]);
    expect(ring.since(0).map((e) => e.id)).toEqual([7, 8, 9, 10]);
  });

  it('replays correctly with gaps between ids', () => {
    const ring = new RingBuffer<{ id: number; v: string }>(10);
    for (const id of [2, 4, 8, 16]) ring.push(item(id));
    expect(ring.since(5).map((e) => e.id)).toEqual([8, 16]);
    expect(ring.since(4).map((e) => e.id)).toEqual([8, 16]);
  });

  it('falls back to a scan when ids arrive out of order', () => {
    const ring = new RingBuffer<{ id: number; v: string }>(10);
    for (const id of [1, 5, 3, 7]) ring.push(item(id));
    expect(ring.since(4).map((e) => e.id)).toEqual([5, 7]);
  });

  it('clear empties the buffer and resets dropped', () => {
    const ring = new RingBuffer<{ id: number; v: string }>(2);
    for (let i = 1; i <= 4; i++) ring.push(item(i));
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.dropped).toBe(0);
    expect(ring.toArray()).toEqual([]);
    expect(ring.oldestId).toBeUndefined();
    ring.push(item(1));
    expect(ring.since(0).map((e) => e.id)).toEqual([1]);
  });

  it('defaults to 5000 and rejects a non-positive capacity', () => {
    expect(new RingBuffer().capacity).toBe(5000);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
