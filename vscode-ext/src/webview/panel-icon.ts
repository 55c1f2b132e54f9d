/**
 * The tab icon of Privet's webview panels (review queue, fidelity reports): the activity-bar
 * shield, drawn in a dark stroke for light themes and a light one for dark themes (a panel's icon
 * is a plain image: it cannot be a ThemeIcon nor follow the theme's foreground colour).
 */
import * as vscode from 'vscode';

/** The light- and dark-theme icons of a Privet webview panel, from the extension's media/. */
export function panelIconPath(extensionUri: vscode.Uri): { light: vscode.Uri; dark: vscode.Uri } {
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  return {
    light: vscode.Uri.joinPath(media, 'privet-panel-light.svg'),
    dark: vscode.Uri.joinPath(media, 'privet-panel-dark.svg'),
  };
}
