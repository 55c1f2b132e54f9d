/* global acquireVsCodeApi, document, window */
// The review queue webview (loaded with a CSP nonce; builds DOM with textContent only, so nothing
// a request carries can inject markup). Messages follow src/review/messages.ts.
// #root is rebuilt on every update and is no live region: what a screen reader should hear goes to
// the #status line (role=status), and the control that had focus gets it back after a rebuild
// (both through webview-common.js, loaded first).
(function () {
  const vscode = acquireVsCodeApi();
  const { el, announce, rebuild } = window.privetWebview;
  const root = document.getElementById('root');
  // The last queue, and the whole outputs by request id, kept across re-renders: { loading: true }
  // while asked for (one request at a time), then { parts } or { error }.
  let lastQueue;
  const outputs = new Map();
  // Comments typed so far (by request id): a re-render must not lose them.
  const drafts = new Map();
  // For a focus key, the keys to focus instead when its control is gone after a rebuild.
  const fallbacks = new Map();
  // True from a click on Refresh until the next queue: its answer is said even when unchanged.
  let refreshing = false;

  /** Marks `node` as the control `key` (focus returns to it after a rebuild), else `instead`. */
  function focusable(node, key, ...instead) {
    node.setAttribute('data-focus', key);
    if (instead.length > 0) fallbacks.set(key, instead);
    return node;
  }

  function field(parent, label, value, className) {
    const row = parent.appendChild(el('div', undefined, 'field'));
    row.appendChild(el('span', label, 'label'));
    row.appendChild(el(className === 'pre' ? 'pre' : 'span', value, className));
    return row;
  }

  /**
   * Asks the extension for the whole output of request `id` (once: while it loads, its button is
   * a disabled "Loading…", also after a rebuild, so no second request can overtake the first).
   */
  function loadOutput(id, button) {
    outputs.set(id, { loading: true });
    button.disabled = true;
    button.textContent = 'Loading…';
    vscode.postMessage({ type: 'output', id });
  }

  /**
   * The whole output of a request: a button to load it ("Loading…" while it loads), then every
   * part in full; when loading failed, why and a "Try again" button that asks for it again.
   */
  function wholeOutput(r) {
    const box = focusable(el('div', undefined, 'field whole-output'), `whole:${r.id}`);
    box.tabIndex = -1;
    box.appendChild(el('span', 'Whole output (what an approval releases)', 'label'));
    const loaded = outputs.get(r.id);
    if (!loaded || loaded.loading) {
      const open = box.appendChild(el('button', 'Show the whole output', 'secondary'));
      focusable(open, `output:${r.id}`, `retry:${r.id}`, `whole:${r.id}`);
      if (loaded) {
        open.disabled = true;
        open.textContent = 'Loading…';
      } else open.addEventListener('click', () => loadOutput(r.id, open));
      return box;
    }
    if (loaded.error) {
      box.appendChild(el('p', `The whole output could not be loaded: ${loaded.error}`, 'error'));
      const retry = box.appendChild(el('button', 'Try again', 'secondary'));
      focusable(retry, `retry:${r.id}`, `whole:${r.id}`);
      retry.addEventListener('click', () => loadOutput(r.id, retry));
      return box;
    }
    for (const part of loaded.parts) {
      const row = box.appendChild(el('div', undefined, 'part'));
      row.setAttribute('data-mime', part.mime);
      row.appendChild(el('span', part.mime, 'label'));
      if (part.kind === 'text') row.appendChild(el('pre', part.text, 'pre'));
      else if (part.kind === 'image' && part.src.startsWith('data:image/')) {
        const img = row.appendChild(el('img'));
        img.src = part.src;
        img.alt = `${part.mime} part`;
      } else
        row.appendChild(
          el(
            'p',
            `${part.size} characters of ${part.mime}, which cannot be shown here: ask the analyst for a readable form before approving it.`,
            'muted',
          ),
        );
    }
    return box;
  }

  function decisionForm(r, mustOpen) {
    const form = el('div', undefined, 'decision');
    const comment = form.appendChild(el('textarea'));
    comment.rows = 2;
    comment.placeholder = 'Comment (required to reject or request changes)';
    comment.setAttribute('aria-label', `Comment on ${r.id}`);
    focusable(comment, `comment:${r.id}`, `card:${r.id}`);
    comment.value = drafts.get(r.id) || '';
    comment.addEventListener('input', () => drafts.set(r.id, comment.value));
    const buttons = form.appendChild(el('div', undefined, 'buttons'));
    for (const [decision, label, secondary] of [
      ['approve', 'Approve', false],
      ['request_changes', 'Request changes', true],
      ['reject', 'Reject', true],
    ]) {
      const b = buttons.appendChild(el('button', label, secondary ? 'secondary' : undefined));
      focusable(b, `decide:${r.id}:${decision}`, `card:${r.id}`);
      if (decision === 'approve' && mustOpen) b.disabled = true;
      b.addEventListener('click', () => {
        for (const x of buttons.querySelectorAll('button')) x.disabled = true;
        vscode.postMessage({ type: 'decide', id: r.id, decision, comment: comment.value });
      });
    }
    if (mustOpen)
      form.insertBefore(
        el(
          'p',
          'The preview does not show everything an approval releases (it was cut, or the output holds a picture): show the whole output before approving.',
          'muted open-first',
        ),
        buttons,
      );
    return form;
  }

  function request(r, reviewer, partial) {
    const card = el('section', undefined, `request state-${r.state}`);
    card.setAttribute('data-review-id', r.id);
    // Focus lands here when the control that had it is gone (e.g. the request was decided).
    const head = focusable(card.appendChild(el('h2')), `card:${r.id}`);
    head.tabIndex = -1;
    head.appendChild(el('span', r.state.replace('_', ' '), 'badge'));
    head.appendChild(el('span', ` ${r.id}`));
    field(card, 'Experiment', `${r.experiment} — ${r.experimentPurpose}`);
    field(card, 'Requested by', `${r.requester} on ${r.createdAt.slice(0, 16).replace('T', ' ')}`);
    field(card, 'Justification', r.justification);
    if (r.notebook)
      field(
        card,
        'Notebook',
        `${r.notebook}${r.cellIndex !== undefined ? ` · cell ${r.cellIndex + 1}` : ''}`,
      );
    field(card, 'Views used', r.viewsUsed.length ? r.viewsUsed.join(', ') : '(none named)');
    const findings = card.appendChild(el('div', undefined, 'field'));
    findings.appendChild(el('span', `Findings (${r.verdict})`, 'label'));
    const list = findings.appendChild(el('ul', undefined, 'findings'));
    for (const f of r.findings) {
      const li = list.appendChild(el('li'));
      li.appendChild(el('code', f.rule));
      // The part and the readings that found it, and how many times (groupFindings, extension side).
      const part = f.mime ? ` in ${f.mime}` : '';
      const times = f.count > 1 ? ` ×${f.count}` : '';
      li.appendChild(el('span', ` ${f.severity}${part}: ${f.message}${times}`));
    }
    field(card, 'Redacted preview', r.redactedPreview, 'pre');
    if (r.cellSource) field(card, 'Cell code', r.cellSource, 'pre');
    for (const c of r.comments) field(card, `Comment by ${c.author}`, c.text);
    if (r.decidedBy)
      field(
        card,
        'Decided by',
        `${r.decidedBy} on ${(r.decidedAt || '').slice(0, 16).replace('T', ' ')}`,
      );
    if (r.state === 'pending') card.appendChild(wholeOutput(r));
    const shown = outputs.get(r.id);
    const mustOpen = partial.includes(r.id) && !(shown && shown.parts);
    if (reviewer && r.state === 'pending') card.appendChild(decisionForm(r, mustOpen));
    return card;
  }

  /** Rebuilds the page for `message`, giving focus back to the control that had it. */
  function render(message) {
    rebuild(
      () => build(message),
      (key) => [...(fallbacks.get(key) || []), 'refresh'],
    );
  }

  function build(message) {
    root.replaceChildren();
    if (message.type === 'signedOut') {
      root.appendChild(el('p', 'Not signed in to a Privet gateway. Run "Privet: Sign In".'));
      return;
    }
    if (message.type === 'error') {
      root.appendChild(el('p', message.message, 'error'));
      root.appendChild(el('p', `Fix: ${message.fix}`, 'muted'));
    } else {
      const top = root.appendChild(el('div', undefined, 'top'));
      const pending = message.reviews.filter((r) => r.state === 'pending').length;
      top.appendChild(
        el(
          'h1',
          `Review queue — ${pending} pending of ${message.reviews.length} (signed in as ${message.user})`,
        ),
      );
      if (!message.reviewer)
        root.appendChild(el('p', 'You are not a reviewer: decisions are hidden.', 'muted'));
      // Shown here; said by the status line (see the message listener).
      if (message.notice) root.appendChild(el('p', message.notice, 'notice'));
      if (message.reviews.length === 0) root.appendChild(el('p', 'No review requests.', 'muted'));
      for (const r of message.reviews)
        root.appendChild(request(r, message.reviewer, message.partial || []));
    }
    const refresh = focusable(el('button', 'Refresh', 'secondary'), 'refresh');
    refresh.addEventListener('click', () => {
      refreshing = true;
      vscode.postMessage({ type: 'refresh' });
    });
    root.appendChild(refresh);
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message.type === 'output' || message.type === 'outputError') {
      // Only the answer to the one request in flight counts: a stale one changes nothing.
      const asked = outputs.get(message.id);
      if (!asked || !asked.loading) return;
      outputs.set(
        message.id,
        message.type === 'output' ? { parts: message.parts } : { error: message.message },
      );
      // The answer to a click: said even when a Try again failed the same way.
      announce(
        message.type === 'output'
          ? `The whole output of ${message.id} is shown.`
          : `The whole output of ${message.id} could not be loaded: ${message.message}`,
        true,
      );
      if (lastQueue) render(lastQueue);
      return;
    }
    if (message.type === 'queue') lastQueue = message;
    else lastQueue = undefined;
    // Signed out: no answer comes for an output asked for, so it can be asked for again later.
    if (message.type === 'signedOut')
      for (const [id, state] of outputs) if (state.loading) outputs.delete(id);
    announce(
      message.type === 'queue'
        ? message.notice || ''
        : message.type === 'error'
          ? `The review queue could not be read: ${message.message}. Fix: ${message.fix}`
          : 'Not signed in to a Privet gateway.',
      refreshing,
    );
    refreshing = false;
    render(message);
  });
  vscode.postMessage({ type: 'ready' });
})();
