/**
 * Counts what a run reads, stages and loads, for the periodic progress line and the closing
 * summary. Only counts and clocks: the router, sinks and loader tell it what happened; it never
 * decides anything. Time is split into reading input (waiting for the tap), staging (turning
 * messages into batch files), uploading and loading (summed over parallel loads).
 */
export class Progress {
    log;
    now;
    counts = { lines: 0, schemas: 0, records: 0, states: 0, batches: 0, committed: 0 };
    seconds = { read: 0, stage: 0, upload: 0, load: 0 };
    rowsByTable = new Map();
    running = new Map();
    nextId = 0;
    started;
    lastReport;
    timer;
    constructor(log, now = Date.now) {
        this.log = log;
        this.now = now;
        this.started = now();
        this.lastReport = { at: this.started, records: 0 };
    }
    /** Logs a progress line every `seconds` (0: never). */
    start(seconds, waiting = () => 0) {
        if (seconds <= 0)
            return;
        this.timer = setInterval(() => this.log.info(this.line(waiting())), seconds * 1000);
        this.timer.unref();
    }
    stop() {
        if (this.timer)
            clearInterval(this.timer);
    }
    message(type) {
        this.counts.lines += 1;
        if (type === 'SCHEMA')
            this.counts.schemas += 1;
        else if (type === 'RECORD')
            this.counts.records += 1;
        else if (type === 'STATE')
            this.counts.states += 1;
    }
    /** A record that came in a BATCH file. */
    batchRecord() {
        this.counts.records += 1;
    }
    /** Adds the time of one step to its share. */
    spent(share, ms) {
        this.seconds[share] += ms / 1000;
    }
    /** A batch enters a phase; returns the token to end it with. */
    begin(phase, what) {
        const id = ++this.nextId;
        this.running.set(id, { phase, what, since: this.now() });
        return id;
    }
    end(id) {
        const entry = this.running.get(id);
        if (!entry)
            return;
        this.running.delete(id);
        this.spent(entry.phase, this.now() - entry.since);
    }
    committed(table, rows) {
        this.counts.committed += 1;
        this.rowsByTable.set(table, (this.rowsByTable.get(table) ?? 0) + rows);
    }
    /** The periodic line: throughput since the last one, batches by state, the oldest load. */
    line(pending = 0) {
        const now = this.now();
        const rate = Math.round(((this.counts.records - this.lastReport.records) * 1000) / Math.max(1, now - this.lastReport.at));
        this.lastReport = { at: now, records: this.counts.records };
        const loading = [...this.running.values()];
        const oldest = loading.reduce((a, b) => (a === undefined || b.since < a.since ? b : a), undefined);
        const uploads = loading.filter((r) => r.phase === 'upload').length;
        const parts = [
            `Progress: ${this.counts.records} record(s) read (${rate}/s)`,
            `batches: ${this.counts.batches} closed, ${uploads} uploading, ${loading.length - uploads} loading, ${this.counts.committed} committed${pending > 0 ? `, ${pending} waiting` : ''}`,
        ];
        if (oldest)
            parts.push(`${oldest.phase === 'load' ? oldest.what : `upload for ${oldest.what}`} running for ${Math.round((now - oldest.since) / 1000)} s`);
        return parts.join('; ');
    }
    /** The closing summary. */
    summary() {
        const { lines, schemas, records, states, batches } = this.counts;
        const tables = [...this.rowsByTable].map(([table, rows]) => `${table} ${rows}`).join(', ');
        const s = this.seconds;
        const wall = (this.now() - this.started) / 1000;
        return (`Processed ${lines} line(s) of input (${schemas} schema(s), ${records} record(s), ${states} state(s)) in ${wall.toFixed(1)} s; ` +
            `${batches} batch(es) loaded${tables ? `: ${tables} row(s)` : ''}; ` +
            `time: read ${s.read.toFixed(1)} s, stage ${s.stage.toFixed(1)} s, upload ${s.upload.toFixed(1)} s, load ${s.load.toFixed(1)} s`);
    }
}
//# sourceMappingURL=progress.js.map