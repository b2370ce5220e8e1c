/**
 * Progress bars: done/total and an estimated time left, on stderr, only when stderr is a
 * terminal and not --quiet (so pipes, files and CI logs get none). Done may grow by fractions
 * (a chunk of a run that goes as chunks: pool.ts onProgress), so the bar and its estimate move
 * during one large run; whole ones are shown.
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
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} ${unit}, ETA {eta}`,
      clearOnComplete: true,
      hideCursor: true,
      etaBuffer: 20,
      // Done may be a fraction (the chunks of a large run move the bar): whole ones are shown.
      formatValue: (v: number | string, _options: unknown, type: string) =>
        type === "value" ? String(Math.floor(Number(v) + 1e-9)) : type === "eta" ? etaText(v) : String(v),
    },
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

/**
 * The estimated time left as the bar shows it: cli-progress gives whole seconds once it has a rate,
 * and a string before (its initial "0") or when it cannot tell ("NULL", "INF"), shown as "…" rather
 * than as 0 s.
 */
export function etaText(eta: number | string): string {
  if (typeof eta !== "number" || !Number.isFinite(eta)) return "…";
  const s = Math.max(0, Math.round(eta));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
