/* global document, window */
// What Privet's webview scripts share (loaded first, with the same CSP nonce, by
// src/webview/html.ts): text-only elements, the one #status line that says things to screen
// readers, and focus that comes back to the same control after #root is rebuilt. The page scripts
// (review.js, budget.js) read it from window.privetWebview.
(function () {
  const root = document.getElementById('root');
  const status = document.getElementById('status');

  /** A new element with `text` as its text content (never markup) and an optional class. */
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // The text the status line says (or will say on the next frame), and that frame.
  let said = status ? status.textContent : '';
  let frame;

  /**
   * Says `text` through the status line: cleared now, set on the next frame, so a screen reader
   * hears it even when it is the text said last. The same text is said again only when `again`
   * (the answer to something the user did, e.g. a Retry that failed the same way), so an update
   * nobody asked for does not repeat it.
   */
  function announce(text, again) {
    if (!status || (text === said && !again)) return;
    said = text;
    if (frame !== undefined) window.cancelAnimationFrame(frame);
    frame = undefined;
    status.textContent = '';
    if (text)
      frame = window.requestAnimationFrame(() => {
        frame = undefined;
        status.textContent = text;
      });
  }

  // The control focused last: a button disabled on click, or one rebuilt meanwhile, drops focus
  // to the page.
  let lastKey = null;
  if (root)
    root.addEventListener('focusin', (event) => {
      const key = event.target.getAttribute && event.target.getAttribute('data-focus');
      if (key) lastKey = key;
    });

  /**
   * The focus key (data-focus) of the control that has focus, if it is one of ours; the one
   * focused last when focus fell to the page; none when the user is elsewhere.
   */
  function focusedKey() {
    if (!document.hasFocus()) return null;
    const active = document.activeElement;
    if (active && root.contains(active)) return active.getAttribute('data-focus');
    return !active || active === document.body ? lastKey : null;
  }

  /**
   * Focuses the control `key` after a rebuild, else the first of `instead` that is there and
   * enabled; `caret` puts a text field's selection back.
   */
  function restoreFocus(key, instead, caret) {
    if (!key) return;
    const byKey = new Map();
    for (const node of root.querySelectorAll('[data-focus]'))
      byKey.set(node.getAttribute('data-focus'), node);
    const target = [key, ...(instead || [])]
      .map((k) => byKey.get(k))
      .find((node) => node && !node.disabled);
    if (!target) return;
    target.focus();
    if (caret && target === byKey.get(key) && typeof target.setSelectionRange === 'function')
      target.setSelectionRange(caret[0], caret[1]);
  }

  /** Rebuilds the page with `build()`, giving focus (and a caret) back to the control that had it. */
  function rebuild(build, instead) {
    const key = focusedKey();
    const active = document.activeElement;
    const caret =
      active && typeof active.selectionStart === 'number'
        ? [active.selectionStart, active.selectionEnd]
        : undefined;
    build();
    restoreFocus(key, instead ? instead(key) : [], caret);
  }

  window.privetWebview = { el, announce, rebuild };
})();
