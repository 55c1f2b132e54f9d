import { LabIcon } from '@jupyterlab/ui-components';

const logoSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 2 4 5v6c0 5 3.4 9.3 8 11 4.6-1.7 8-6 8-11V5l-8-3zm0 2.2 6 2.2V11c0 3.9-2.5 7.4-6 8.9-3.5-1.5-6-5-6-8.9V6.4l6-2.2z"/>
    <path d="M8 10h8v1.6H8zm0 3h8v1.6H8z"/>
  </g>
</svg>`;

/** The Privet shield icon (sidebar tab, settings). */
export const privetIcon = new LabIcon({ name: 'privet:logo', svgstr: logoSvg });

const reviewSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 2 4 5v6c0 5 3.4 9.3 8 11 4.6-1.7 8-6 8-11V5l-8-3zm0 2.2 6 2.2V11c0 3.9-2.5 7.4-6 8.9-3.5-1.5-6-5-6-8.9V6.4l6-2.2z"/>
    <path d="m10.6 15.2-3.1-3.1 1.2-1.2 1.9 1.9 4.7-4.7 1.2 1.2z"/>
  </g>
</svg>`;

/** The review queue icon: the shield with a check mark. */
export const reviewIcon = new LabIcon({ name: 'privet:review', svgstr: reviewSvg });
