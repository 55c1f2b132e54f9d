/**
 * The one HTML shell of Privet's webviews: a strict CSP (no default source, styles from the
 * extension only, scripts only with a fresh nonce) loading the page's script and stylesheet from
 * `media/`, each after what every page shares (`webview-common.js`, `webview-common.css`). The script rebuilds `#root` on every update, so `#root` is no live region (a screen
 * reader would read the whole page again); what should be announced goes to the one `#status`
 * line (role=status), which stays in place.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The media files every webview page loads before its own (`webview-common.js`, `.css`). */
export const COMMON_MEDIA = 'webview-common';

/** HTML for a webview that runs `media/<name>.js` styled by `media/<name>.css`. */
export function webviewHtml(
  webview: vscode.Webview,
  media: vscode.Uri,
  name: string,
  title: string,
): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(media, file)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    // Pictures of a reviewed output are shown from data: URLs (an image runs no script).
    'img-src data:',
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri(`${COMMON_MEDIA}.css`)}">
<link rel="stylesheet" href="${uri(`${name}.css`)}">
<title>${title}</title></head>
<body><div id="status" class="status" role="status"></div><main id="root">Loading…</main>
<script nonce="${nonce}" src="${uri(`${COMMON_MEDIA}.js`)}"></script>
<script nonce="${nonce}" src="${uri(`${name}.js`)}"></script></body></html>`;
}
