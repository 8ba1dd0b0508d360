/**
 * The masker as a Transform stream, for piping a child's stdout/stderr (backpressure included).
 */
import { Transform } from "node:stream";
import { createMasker } from "./masker.ts";

export function createMaskingTransform(values: Iterable<string>): Transform {
  const masker = createMasker(values);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const out = masker.write(chunk);
      callback(null, out.length > 0 ? out : undefined);
    },
    flush(callback) {
      const out = masker.end();
      callback(null, out.length > 0 ? out : undefined);
    },
  });
}
