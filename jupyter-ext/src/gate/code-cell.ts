/**
 * Why: JupyterLab's table of contents lists headings found in code cell outputs, and it reads them
 * from the output *models* (`CodeCell.getHeadings`), not from what the output area shows — so a
 * held output's `<h2>` or `## …` would appear in the sidebar while its content is withheld. This
 * cell lists an output's headings only while the gate shows that output (passed, or approved by a
 * reviewer); an undecided or held output contributes none (fail closed).
 */
import { CodeCell, type Cell } from '@jupyterlab/cells';
import type { GateHost } from './host.js';

/** A code cell whose output headings come only from outputs the gate shows. */
export class GatedCodeCell extends CodeCell {
  /** Creates the cell; `host` (null when the registry is not gated) says which outputs are shown. */
  constructor(
    options: CodeCell.IOptions,
    private readonly gateHost: GateHost | null,
  ) {
    super(options);
  }

  /** The headings of shown outputs only (the table of contents reads these). */
  override async getHeadings(): Promise<Cell.IHeading[]> {
    return this.shownOnly(await super.getHeadings());
  }

  /** The cached headings of shown outputs only (deprecated upstream, kept consistent). */
  override get headings(): Cell.IHeading[] {
    return this.shownOnly(super.headings);
  }

  /** Keeps headings whose output is on screen; without a gate host, none. */
  private shownOnly(headings: Cell.IHeading[]): Cell.IHeading[] {
    const host = this.gateHost;
    if (!host) return [];
    return headings.filter((heading) => {
      if (heading.outputIndex === undefined) return false;
      const output = this.model.outputs.get(heading.outputIndex);
      return output !== undefined && host.isShown(output);
    });
  }
}
