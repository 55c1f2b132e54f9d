/**
 * Why: a drawn widget whose new kernel-made state waits for the gateway's raw-value verdict is
 * painted transparent (GatedOutput), so a widget the kernel updates many times a second (a
 * progress bar) blinked out whenever a verdict took longer than a frame. This keeps a copy of what
 * the widget last showed *after a verdict* — taken as a new state arrives, before the widget
 * manager applies it — and lays that copy over the transparent widget until the verdict is in.
 * The copy is inert (no focus, no clicks, hidden from screen readers): the live widget under it
 * keeps focus and input. A copy is never taken while a state is unverified, so it can only show
 * what already passed.
 */

/** Class of the copy laid over a widget waiting for its verdict. */
export const VERIFIED_PAINT_CLASS = 'jp-Privet-lastVerified';

/** Class that paints a drawn widget transparent while its new state waits for the gateway. */
export const VERIFYING_CLASS = 'jp-Privet-verifying';

/**
 * What cloneNode leaves out: canvas pixels and form fields' current values are copied from the
 * live nodes; frames are replaced by empty boxes of their size (a copied frame would load its
 * page again).
 */
function copyLiveState(live: HTMLElement, copy: HTMLElement): void {
  const liveCanvases = live.querySelectorAll('canvas');
  copy.querySelectorAll('canvas').forEach((canvas, i) => {
    const source = liveCanvases[i];
    if (source && source.width > 0 && source.height > 0)
      canvas.getContext('2d')?.drawImage(source, 0, 0);
  });
  const fields = 'input, textarea, select';
  const liveFields = live.querySelectorAll<HTMLInputElement>(fields);
  copy.querySelectorAll<HTMLInputElement>(fields).forEach((field, i) => {
    const source = liveFields[i];
    if (!source) return;
    field.value = source.value;
    if (source.type === 'checkbox' || source.type === 'radio') field.checked = source.checked;
  });
  const liveFrames = live.querySelectorAll('iframe');
  copy.querySelectorAll('iframe').forEach((frame, i) => {
    const box = document.createElement('div');
    box.style.width = `${liveFrames[i]?.offsetWidth ?? 0}px`;
    box.style.height = `${liveFrames[i]?.offsetHeight ?? 0}px`;
    frame.replaceWith(box);
  });
}

/** The last verified paint of one gated output, shown while its newest state is checked. */
export class LastVerifiedPaint {
  private copy: HTMLElement | null = null;

  /** Whether a copy is taken (shown or not). */
  get taken(): boolean {
    return this.copy !== null;
  }

  /** Copies `live` as it draws now (call only while what it draws has passed). */
  take(live: HTMLElement): void {
    this.clear();
    const copy = live.cloneNode(true) as HTMLElement;
    // Taken from a widget painted transparent meanwhile (a newer state waits): the copy is not.
    copy.classList.remove(VERIFYING_CLASS);
    copy.classList.add(VERIFIED_PAINT_CLASS);
    copy.removeAttribute('id');
    for (const el of copy.querySelectorAll('[id]')) el.removeAttribute('id');
    copy.setAttribute('aria-hidden', 'true');
    copy.inert = true;
    copyLiveState(live, copy);
    copy.style.width = `${live.offsetWidth}px`;
    this.copy = copy;
  }

  /** Lays the copy over `live` inside `container` (positioned), if one is taken. */
  show(container: HTMLElement, live: HTMLElement): void {
    const copy = this.copy;
    if (!copy) return;
    copy.style.top = `${live.offsetTop}px`;
    copy.style.left = `${live.offsetLeft}px`;
    if (copy.parentElement !== container) container.appendChild(copy);
  }

  /** Removes the copy (the verdict is in, or the output is held or drawn anew). */
  clear(): void {
    this.copy?.remove();
    this.copy = null;
  }
}
