/**
 * Entry of the single-file bundle the Python wheel carries (scripts/build-wheel.ts builds it).
 *
 * oclif runs exactly as from bin/run.js: `execute` loads the package.json next to the bundle, whose
 * single-command target is this very file, and imports it to find the command class. The import
 * returns this already evaluated module (so the command and everything it uses are bundled here),
 * which is why `execute` is not awaited at the top level: a module that awaits its own import
 * would wait for itself.
 */
import { isMainThread } from 'node:worker_threads';
import { execute } from '@oclif/core';

export { default } from '../src/command.js';
// Evaluated at start, not when the load path is first imported: in the encoder thread
// (src/staging/encoder-thread.ts runs this same file) this module is what serves.
import '../src/staging/parquet-encoder.js';

// The Parquet encoder thread (src/staging/encoder-thread.ts) runs this same file as its entry:
// there the bundle only serves the encoder, the CLI does not run a second time.
if (isMainThread) void execute({ dir: import.meta.url });
