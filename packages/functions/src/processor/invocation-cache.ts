import type { ObjectInfo, ObjectMetadata, ObjectStore } from '../ports';

/**
 * The bucket as one invocation sees it: what a stage wrote or read is served from memory to
 * the stages after it, so a job processed in one go downloads its drawing once and never
 * reads back the outputs it has just written. A new invocation (a retry, a continuation)
 * starts empty and reads from the bucket, which stays the record.
 */
export class InvocationCache implements ObjectStore {
  private readonly bodies = new Map<string, Buffer>();

  constructor(private readonly store: ObjectStore) {}

  async put(key: string, body: Buffer | string, contentType: string, metadata?: ObjectMetadata) {
    await this.store.put(key, body, contentType, metadata);
    this.bodies.set(key, Buffer.isBuffer(body) ? body : Buffer.from(body));
  }

  async get(key: string): Promise<Buffer | undefined> {
    const cached = this.bodies.get(key);
    if (cached) return cached;
    const body = await this.store.get(key);
    if (body) this.bodies.set(key, body);
    return body;
  }

  getRange(key: string, start: number, end: number): Promise<Buffer | undefined> {
    return this.store.getRange(key, start, end);
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    return this.store.head(key);
  }

  async copy(fromKey: string, toKey: string, contentType: string, metadata: ObjectMetadata) {
    this.bodies.delete(toKey);
    await this.store.copy(fromKey, toKey, contentType, metadata);
  }

  async delete(key: string): Promise<void> {
    this.bodies.delete(key);
    await this.store.delete(key);
  }
}
