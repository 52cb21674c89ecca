/**
 * Rich output in the tslab kernel. One display message may carry several MIME types (the frontend picks the
 * richest it may render), which tslab's public `display` cannot send: this uses the sender tslab's kernel
 * installs for its own `display` (tslab 1.0.22, pinned). Outside a kernel the text/plain part goes to stdout.
 */

/** MIME type → content; binary types (image/png) are base64 strings, as Jupyter's protocol carries them. */
export type MimeBundle = Readonly<Record<string, string>>;

interface TslabJupyter {
  lastWriteDisplayData:
    | ((data: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void)
    | null;
}

/** The kernel's display sender, or null when this process is not a tslab kernel (then tslab is never loaded). */
function kernelSender(): TslabJupyter['lastWriteDisplayData'] {
  let modulePath: string;
  try {
    modulePath = require.resolve('tslab/dist/jupyter');
  } catch {
    return null;
  }
  const loaded = require.cache[modulePath]?.exports as TslabJupyter | undefined;
  return loaded?.lastWriteDisplayData ?? null;
}

/** True inside a running tslab kernel. */
export function inNotebook(): boolean {
  return kernelSender() !== null;
}

/** Shows `bundle` as one output of the current cell (or prints its text/plain part outside a notebook). */
export function displayBundle(bundle: MimeBundle): void {
  const send = kernelSender();
  if (send) {
    send({ data: bundle, metadata: {}, transient: {} }, false);
  } else if (bundle['text/plain'] !== undefined) {
    process.stdout.write(`${bundle['text/plain']}\n`);
  }
}
