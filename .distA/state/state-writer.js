import { stringifyJson } from '../singer/json.js';
/**
 * Writes one state per line to stdout (or any Writable) and waits until the write is handed off:
 * pipes are asynchronous in Node, and a state that is lost on exit would make the tap re-send data.
 */
export class StateWriter {
    out;
    constructor(out) {
        this.out = out;
    }
    write(state) {
        return new Promise((resolve, reject) => {
            this.out.write(`${stringifyJson(state)}\n`, (e) => (e ? reject(e) : resolve()));
        });
    }
}
//# sourceMappingURL=state-writer.js.map