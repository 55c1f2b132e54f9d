// The demo notebook `npm start` opens: written once, as JupyterLab would save it, so it opens
// without unsaved changes. JupyterLab marks a notebook changed when it adds what the file lacks:
// a cell id (nbformat 4.5) or the kernel's language_info, which it copies in once the kernel
// starts; so both are written here, language_info as the venv's ipykernel reports it.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

/** Python printing ipykernel's language_info (what the kernel reports to JupyterLab) as JSON. */
const LANGUAGE_INFO_PROBE =
  'import json; from ipykernel.ipkernel import IPythonKernel as K; print(json.dumps(K.language_info))';

/** The language_info the `python` interpreter's ipykernel reports, or null when it cannot say. */
export function kernelLanguageInfo(python) {
  const result = spawnSync(python, ['-c', LANGUAGE_INFO_PROBE], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0 || typeof result.stdout !== 'string') return null;
  try {
    const info = JSON.parse(result.stdout);
    return info && typeof info === 'object' && typeof info.name === 'string' ? info : null;
  } catch {
    return null;
  }
}

/** The demo notebook's content, with `languageInfo` (null: left for JupyterLab to add). */
export function demoNotebook(languageInfo) {
  const markdown = (id, text) => ({ id, cell_type: 'markdown', metadata: {}, source: text });
  const code = (id, text) => ({
    id,
    cell_type: 'code',
    metadata: {},
    source: text,
    outputs: [],
    execution_count: null,
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      ...(languageInfo ? { language_info: languageInfo } : {}),
      privet: { experiment: 'demo' },
    },
    cells: [
      markdown(
        'privet-intro',
        '# Privet demo\n\nIn the **Privet** panel (left) click *Use in notebook* on a masked view to load it ' +
          'here, or run a DP query. Every output is checked before it is shown: try the cell below.',
      ),
      code('privet-try-the-gate', 'print("Contact: " + "jane.doe" + "@" + "example.com")'),
    ],
  };
}

/**
 * Writes the demo notebook to `file` unless it exists (the user's edits stay), through a temp file
 * and a rename. It names the experiment and holds no secret. Returns true when it wrote one.
 */
export function writeDemoNotebook(file, languageInfo) {
  if (existsSync(file)) return false;
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(demoNotebook(languageInfo), null, 1) + '\n');
  renameSync(temp, file);
  return true;
}
