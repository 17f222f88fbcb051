import { sameBytes } from '../singer/same-bytes.js';
import type { Sink } from './sink.js';

/** The run's sinks by stream name, and by the UTF-8 bytes of the name: a scanned line's stream is found without decoding it. */
export class Sinks {
  private readonly byName = new Map<string, Sink>();
  private readonly names: Array<{ name: Buffer; sink: Sink }> = [];

  get(stream: string): Sink | undefined {
    return this.byName.get(stream);
  }

  add(sink: Sink): void {
    this.byName.set(sink.stream, sink);
    this.names.push({ name: Buffer.from(sink.stream), sink });
  }

  values(): IterableIterator<Sink> {
    return this.byName.values();
  }

  /** The sinks whose full batch waits for the tap's next STATE (Sink.fullUntilState). */
  fullUntilState(): Sink[] {
    const full: Sink[] = [];
    for (const sink of this.byName.values()) if (sink.fullUntilState) full.push(sink);
    return full;
  }

  /** The sink of the stream whose name is `bytes[start, end)`; byte comparisons for the first few streams. */
  named(bytes: Buffer, start: number, end: number): Sink | undefined {
    const names = this.names;
    for (let n = 0; n < names.length && n < 16; n += 1) {
      const { name, sink } = names[n]!;
      if (sameBytes(bytes, start, end, name, 0, name.length)) return sink;
    }
    return names.length > 16 ? this.byName.get(bytes.toString('utf8', start, end)) : undefined;
  }
}
