import { parentPort } from 'node:worker_threads';
import { ParquetFileWriter } from './parquet-file-writer.js';
/**
 * The encoding thread: turns the row groups the record path buffers into Parquet files, so that
 * encoding and compression run on the second core while the main thread parses input. One
 * message per request, answered in order; a failed file is reported and forgotten (its later
 * requests answer with the same error).
 */
const files = new Map();
const failed = new Map();
parentPort?.on('message', (request) => {
    const reply = { id: request.id, seq: request.seq };
    try {
        const known = failed.get(request.id);
        if (known !== undefined && request.op !== 'discard')
            throw Object.assign(new Error(known), { code: known });
        switch (request.op) {
            case 'open':
                files.set(request.id, new ParquetFileWriter(request.path, request.columns, request.compress));
                break;
            case 'rows':
                writerOf(request.id).writeRowGroup(request.values);
                break;
            case 'finish':
                writerOf(request.id).finish();
                files.delete(request.id);
                break;
            case 'discard':
                files.get(request.id)?.abort();
                files.delete(request.id);
                failed.delete(request.id);
                break;
        }
    }
    catch (e) {
        const code = e.code ?? e.message;
        failed.set(request.id, code);
        files.get(request.id)?.abort();
        files.delete(request.id);
        reply.error = code;
    }
    parentPort?.postMessage(reply);
});
function writerOf(id) {
    const writer = files.get(id);
    if (!writer)
        throw new Error(`no open batch file ${id}`);
    return writer;
}
//# sourceMappingURL=encode-worker.js.map