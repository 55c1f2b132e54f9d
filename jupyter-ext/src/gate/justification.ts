/**
 * The "Request review" dialog: asks the analyst why the held output should be released. The
 * justification is required (the gateway refuses an empty one), so an empty answer asks again.
 * Why the body never focuses its textarea itself: JupyterLab's Dialog records the focused element
 * (the button that opened it) to give focus back to on close only after its body's attach hook
 * has run, so a body that took focus there would be recorded instead and, once closed, leave
 * focus on the page's <body>; the dialog's `focusNodeSelector` focuses the textarea after that.
 */
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

/** Most attempts before giving up on an empty justification. */
const MAX_ATTEMPTS = 3;

/** A dialog body with a labelled textarea. */
class JustificationBody extends Widget implements Dialog.IBodyWidget<string> {
  private readonly area: HTMLTextAreaElement;

  constructor(rules: string) {
    super();
    this.addClass('jp-Privet-justification');
    const intro = document.createElement('p');
    intro.textContent = `The output was held because of: ${rules}. A reviewer will see the redacted output, the cell's code, the views used and your justification.`;
    const label = document.createElement('label');
    label.textContent = 'Justification';
    label.htmlFor = 'privet-justification';
    this.area = document.createElement('textarea');
    this.area.id = 'privet-justification';
    this.area.name = 'privet-justification';
    this.area.rows = 4;
    this.area.placeholder = 'Why this output is needed and why it is safe to release';
    this.node.append(intro, label, this.area);
  }

  getValue(): string {
    return this.area.value.trim();
  }
}

/** Asks for a justification; null when the analyst cancels. */
export async function askJustification(rules: string): Promise<string | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await showDialog({
      title: 'Request a review of this output',
      body: new JustificationBody(rules),
      buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Request review' })],
      focusNodeSelector: 'textarea',
    });
    if (!result.button.accept) return null;
    if (result.value) return result.value;
    await showErrorMessage(
      'Justification required',
      'The review request was not sent because the justification was empty. Fix: say why the output is needed and why it is safe.',
    );
  }
  return null;
}
