/**
 * Progress bars: done/total and an estimated time left, on stderr, only when stderr is a
 * terminal and not --quiet (so pipes, files and CI logs get none).
 */
export interface Progress {
  readonly update: (done: number, total: number) => void;
  readonly stop: () => void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };

/** A bar labelled `label`, counting `unit` ("runs", "points"). */
export async function progressBar(quiet: boolean, label: string, unit: string): Promise<Progress> {
  if (quiet || !process.stderr.isTTY) return NONE;
  const { SingleBar, Presets } = (await import("cli-progress")).default;
  const bar = new SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} ${unit}, ETA {eta_formatted}`, clearOnComplete: true, hideCursor: true, etaBuffer: 20 },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
