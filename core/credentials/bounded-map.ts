/**
 * A Map that forgets its oldest entries past a size (first in, first out): the verifier's caches
 * stay bounded under a flood of distinct certificates. Internal to this folder.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): void {
    if (!this.map.has(key) && this.map.size >= this.limit) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, value);
  }
}
