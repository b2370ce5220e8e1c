/**
 * Standard output written synchronously, for text made while a simulation runs (`densim trace`
 * streams events from inside the run, which cannot wait for a stream to drain): text is gathered
 * into blocks of 64 KiB, and each block is written with `fs.writeSync`, waiting a moment and
 * trying again while a pipe is full (EAGAIN), so nothing piles up in memory however slowly the
 * reader reads. A reader that went away (EPIPE) ends the output quietly (`ClosedOutput`); any other
 * refusal is an OutputError (one line, exit 1), as for every other write to standard output.
 */
import { writeSync } from "node:fs";
import { OutputError } from "./io.js";

/** The reader of standard output went away (`densim trace ... | head`): the command stops writing, and exits 0. */
export class ClosedOutput extends Error {}

const BLOCK = 1 << 16;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

export class SyncOut {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly fd: number = 1) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= BLOCK) this.flush();
  }

  /** Writes what is gathered. */
  flush(): void {
    if (this.size === 0) return;
    const bytes = Buffer.from(this.parts.join(""), "utf8");
    this.parts = [];
    this.size = 0;
    let at = 0;
    while (at < bytes.length) {
      try {
        at += writeSync(this.fd, bytes, at);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        // A full pipe (its reader is slower than the run): wait 2 ms and try again.
        if (err.code === "EAGAIN") Atomics.wait(PAUSE, 0, 0, 2);
        else if (err.code === "EPIPE") throw new ClosedOutput("standard output was closed");
        else throw new OutputError("standard output", err);
      }
    }
  }
}
