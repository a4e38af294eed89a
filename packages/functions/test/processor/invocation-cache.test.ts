import type { ObjectStore } from '../../src/ports';
import { InvocationCache } from '../../src/processor/invocation-cache';

/** A bucket in memory that counts the calls reaching it. */
function countingStore() {
  const objects = new Map<string, Buffer>();
  const calls: string[] = [];
  const store: ObjectStore = {
    put: async (key, body) => {
      calls.push(`put ${key}`);
      objects.set(key, Buffer.from(body));
    },
    get: async (key) => {
      calls.push(`get ${key}`);
      return objects.get(key);
    },
    getRange: async (key, start, end) => objects.get(key)?.subarray(start, end + 1),
    head: async (key) =>
      objects.has(key) ? { size: objects.get(key)!.length, metadata: {} } : undefined,
    copy: async (from, to) => {
      calls.push(`copy ${from} ${to}`);
      objects.set(to, objects.get(from)!);
    },
    delete: async (key) => {
      calls.push(`delete ${key}`);
      objects.delete(key);
    },
  };
  return { store, objects, calls };
}

describe('InvocationCache', () => {
  test('reads each object from the bucket once and never reads back what it wrote', async () => {
    const { store, objects, calls } = countingStore();
    objects.set('drawing', Buffer.from('%PDF'));
    const cache = new InvocationCache(store);

    await cache.get('drawing');
    await cache.get('drawing');
    await cache.put('text', '{"text":[]}', 'application/json');

    expect((await cache.get('text'))!.toString()).toBe('{"text":[]}');
    expect(calls).toEqual(['get drawing', 'put text']);
  });

  test('forgets what it deleted or overwrote by copy, and passes the rest through', async () => {
    const { store, objects, calls } = countingStore();
    const cache = new InvocationCache(store);
    await cache.put('a', 'one', 'text/plain');
    objects.set('b', Buffer.from('two'));

    await cache.copy('b', 'a', 'text/plain', {});
    expect((await cache.get('a'))!.toString()).toBe('two');
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.head('b')).toEqual({ size: 3, metadata: {} });
    expect((await cache.getRange('b', 0, 0))!.toString()).toBe('t');
    expect(calls).toEqual(['put a', 'copy b a', 'get a', 'delete a', 'get a']);
  });
});
