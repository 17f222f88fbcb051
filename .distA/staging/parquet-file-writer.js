import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { FILE_METADATA, parquetSchema, physicalValues, stageField } from './parquet-layout.js';
/** Encoded bytes kept before they are written to the file. */
const WRITE_CHUNK_BYTES = 1024 * 1024;
/**
 * Writes one batch file, a row group at a time, synchronously: encoding is CPU work and the
 * writes go to the page cache. Used by the encoding thread (see batch-encoder.ts); errors are
 * the file system's own, the caller says what they mean.
 */
export class ParquetFileWriter {
    path;
    columns;
    fd;
    writer;
    constructor(path, columns, compress) {
        this.path = path;
        this.columns = columns;
        this.fd = openSync(path, 'w');
        const out = new ChunkedFileWriter((bytes) => writeAll(this.fd, bytes));
        this.writer = new ParquetWriter({
            writer: out,
            schema: parquetSchema(columns),
            // Gzip at level 1 through Node's native zlib: smaller than snappy and faster than the
            // writer's JavaScript snappy; Spark reads Parquet gzip pages natively.
            codec: compress ? 'GZIP' : 'UNCOMPRESSED',
            compressors: { GZIP: (bytes) => gzipSync(bytes, { level: 1 }) },
            // Statistics serve readers that skip row groups; a batch is read whole, once.
            statistics: false,
            kvMetadata: FILE_METADATA,
            createdBy: 'target-iomete',
        });
    }
    /** Encodes one row group: `values[i]` holds column i's staged values, all of one length. */
    writeRowGroup(values) {
        const rows = values[0]?.length ?? 0;
        if (rows === 0)
            return;
        const columnData = this.columns.map((column, i) => ({ name: stageField(i), data: physicalValues(column, values[i]) }));
        void this.writer.write({ columnData: columnData, rowGroupSize: rows });
    }
    /** Writes the footer and closes the file. */
    finish() {
        try {
            this.writer.finish();
        }
        finally {
            this.close();
        }
    }
    /** Closes and deletes the file. */
    abort() {
        this.close();
        rmSync(this.path, { force: true });
    }
    close() {
        if (this.fd === undefined)
            return;
        const fd = this.fd;
        this.fd = undefined;
        try {
            closeSync(fd);
        }
        catch {
            // Closing fails only for a descriptor that is already gone; nothing is left to release.
        }
    }
}
/**
 * The Parquet writer's byte sink: encoded bytes collect in memory and go to the file in chunks
 * of about 1 MiB, and at the end of every row group and of the file.
 */
class ChunkedFileWriter extends ByteWriter {
    write;
    constructor(write) {
        super(WRITE_CHUNK_BYTES * 2);
        this.write = write;
    }
    ensure(size) {
        if (this.index > WRITE_CHUNK_BYTES)
            this.flush();
        super.ensure(size);
    }
    flush() {
        if (this.index === 0)
            return;
        this.write(new Uint8Array(this.buffer, 0, this.index));
        this.index = 0;
    }
    finish() {
        this.flush();
    }
}
function writeAll(fd, bytes) {
    for (let done = 0; done < bytes.length;)
        done += writeSync(fd, bytes, done, bytes.length - done);
}
//# sourceMappingURL=parquet-file-writer.js.map