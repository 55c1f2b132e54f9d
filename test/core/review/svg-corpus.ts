/**
 * Seeded SVG documents for the test that the SVG text reader's tokens, rows and labels stay as
 * recorded (svg-text-speed-equal.test.ts): groups and text placed by translate (and by what is
 * not followed: a turn, a scale, `em`, CSS), tick, axis and legend groups, tspans, text paths,
 * tooltips, references, CDATA, comments, odd case and quoting, end tags that do not match.
 */
import { prng } from './random-text.js';

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const GROUP_WORDS = [
  '',
  '',
  '',
  'tick',
  'xtick',
  'ytick_3',
  'axis',
  'matplotlib.axis_1',
  'xaxislayer-above',
  'legend',
  'trace scatter',
  'role-axis-label',
  'Legend',
  'TICK',
];
const TRANSFORMS = [
  '',
  '',
  '',
  'translate(10,20)',
  'translate(0,20)',
  'translate(5)',
  'translate(3 4)',
  'translate(1e1,2.5)',
  ' translate( 0 , 20 ) ',
  'translate(0px,20)',
  'scale(2)',
  'scale(1)',
  'rotate(0)',
  'rotate(-45)',
  'matrix(1,0,0,1,4,20)',
  'matrix(2,0,0,1,0,0)',
  'translate(10,20) scale(1)',
  'translate(0,10)translate(0,10)',
  'skewX(0)',
  'rotate(-0 30 40)',
  'translate(0,10) rotate(0)',
  'translate(,)',
  'translate(0,20',
];
const LENGTHS = [
  '10',
  '20',
  '40',
  '20',
  '  20 ',
  '20 30',
  '20,40',
  '1em',
  '50%',
  '',
  '2e1',
  '20px',
  '-5',
];
const WORDS = [
  'diagnosis',
  'patients',
  'asthma',
  'Jane Roe',
  'n=3',
  'total',
  '&amp;',
  '&lt;b&gt;',
  '&#50;',
  '&#x33;',
  '\uff12',
  'a&b',
  '\u2212',
];
const NUMBERS = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '10',
  '20',
  '30',
  '100',
  '1000',
  '1,000',
  '1k',
  '2.5',
  '\u22122',
  '1e6',
  '12',
  '9',
];

/** An attribute written as a browser still reads it (case, quoting, spaces around '='). */
function attr(rnd: () => number, name: string, value: string): string {
  const r = rnd();
  const written = r < 0.1 ? name.toUpperCase() : name;
  if (r > 0.93 && !/[\s>'"]/.test(value) && value !== '') return ` ${written}=${value}`;
  if (r > 0.86) return ` ${written} = '${value}'`;
  return ` ${written}="${value}"`;
}

/** The start tag of a group-like container. */
function containerStart(rnd: () => number, name: string): string {
  let a = '';
  const words = pick(rnd, GROUP_WORDS);
  if (words !== '') a += attr(rnd, rnd() < 0.6 ? 'class' : 'id', words);
  const t = pick(rnd, TRANSFORMS);
  if (t !== '') a += attr(rnd, 'transform', t);
  if (name === 'svg') {
    if (rnd() < 0.3) a += attr(rnd, 'x', '5');
    if (rnd() < 0.3) a += attr(rnd, 'viewBox', '0 0 10 10');
  }
  if (name === 'a') a += ' href="#x"';
  return `<${rnd() < 0.05 ? name.toUpperCase() : name}${a}>`;
}

/** What a text element draws: words, numbers, inline spans placed or not. */
function textContent(rnd: () => number, depth: number): string {
  let s = '';
  const parts = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < parts; k++) {
    const r = rnd();
    if (r < 0.35) s += pick(rnd, NUMBERS);
    else if (r < 0.55) s += pick(rnd, WORDS);
    else if (r < 0.63) s += ` ${pick(rnd, NUMBERS)} `;
    else if (r < 0.75 && depth < 2) {
      const name = rnd() < 0.85 ? 'tspan' : 'textPath';
      let a = '';
      if (rnd() < 0.5) a += attr(rnd, 'x', pick(rnd, ['10', '30', '50']));
      if (rnd() < 0.4) a += attr(rnd, 'y', pick(rnd, LENGTHS));
      if (rnd() < 0.4) a += attr(rnd, 'dy', pick(rnd, ['0', '10', '1.2em', '-10', '5 5']));
      s += `<${name}${a}>${textContent(rnd, depth + 1)}</${name}>`;
    } else if (r < 0.8) s += `<title>${pick(rnd, NUMBERS)}</title>`;
    else if (r < 0.84) s += `<![CDATA[${pick(rnd, NUMBERS)}]]>`;
    else if (r < 0.87) s += `<!-- ${pick(rnd, NUMBERS)} -->`;
    else if (r < 0.9) s += '< ';
    else if (r < 0.93) s += `<a href="#">${pick(rnd, NUMBERS)}</a>`;
    else if (r < 0.96) s += `\n  ${pick(rnd, WORDS)}\t`;
    else s += pick(rnd, ['\t', '\f', '\r', '  ', ' ']) + pick(rnd, NUMBERS);
  }
  return s;
}

/** A text element. */
function textElement(rnd: () => number): string {
  let a = '';
  if (rnd() < 0.8) a += attr(rnd, 'x', pick(rnd, ['10', '100', '200', '10 20']));
  if (rnd() < 0.75) a += attr(rnd, 'y', pick(rnd, LENGTHS));
  if (rnd() < 0.25) a += attr(rnd, 'dy', pick(rnd, ['0', '10', '0.71em', '-3', '20 1']));
  if (rnd() < 0.3) a += attr(rnd, 'transform', pick(rnd, TRANSFORMS));
  if (rnd() < 0.15) a += attr(rnd, 'class', pick(rnd, GROUP_WORDS));
  // Written twice: the last is read.
  if (rnd() < 0.1) a += attr(rnd, 'y', pick(rnd, LENGTHS));
  if (rnd() < 0.1) a += attr(rnd, 'transform', pick(rnd, TRANSFORMS));
  const name = rnd() < 0.05 ? 'TEXT' : 'text';
  const end = rnd() < 0.04 ? '' : `</${name}>`;
  return `<${name}${a}>${textContent(rnd, 0)}${end}`;
}

/** A run of elements inside a container, `depth` containers deep. */
function body(rnd: () => number, depth: number, budget: { left: number }): string {
  let s = '';
  while (budget.left > 0) {
    budget.left--;
    const r = rnd();
    if (r < 0.35) s += textElement(rnd);
    else if (r < 0.55 && depth < 5) {
      const name = pick(rnd, ['g', 'g', 'g', 'g', 'a', 'switch', 'svg']);
      const close = rnd() < 0.93;
      s += containerStart(rnd, name) + body(rnd, depth + 1, budget) + (close ? `</${name}>` : '');
    } else if (r < 0.65) s += `<path d="M0 0L${Math.floor(rnd() * 99)} 9"/>`;
    else if (r < 0.7) s += `<rect x="1" y="2" width="3" height="4"></rect>`;
    else if (r < 0.74) s += `<desc>${textContent(rnd, 2)}</desc>`;
    else if (r < 0.77) s += pick(rnd, ['</g>', '</a>', '</switch>', '</text>', '</title>', '</>']);
    else if (r < 0.8) s += `<!-- <text>${pick(rnd, NUMBERS)}</text> -->`;
    else if (r < 0.82) s += '<?pi x?><!DOCTYPE x>';
    else if (depth > 0 && rnd() < 0.5) return s;
  }
  return s;
}

/** The markup of one corpus case and whether it is read as a whole SVG document. */
export interface SvgCase {
  markup: string;
  whole: boolean;
}

/** Tick values of one axis: evenly spaced, log scale, two from zero, uneven, or a lone one. */
function tickValues(rnd: () => number): string[] {
  return pick(rnd, [
    ['0', '5', '10', '15', '20'],
    ['0', '0.5', '1', '1.5'],
    ['1', '10', '100', '1000'],
    ['1', '2', '5', '10', '20', '50', '100'],
    ['0', '3'],
    ['2', '3', '7'],
    ['3'],
    ['\u22122', '0', '2', '4'],
    ['0', '1k', '2k', '3k'],
    ['10', '2', '3', '4', '5', '6', '7', '8', '9', '100'],
  ]);
}

/** A small chart as plotly draws one: translated tick groups, bars with labels, a legend. */
function plotlyChart(rnd: () => number): string {
  const axis = (letter: string): string =>
    `<g class="${letter}axislayer-above">` +
    tickValues(rnd)
      .map((v, k) => {
        const at = letter === 'x' ? `${40 + 50 * k},300` : `40,${300 - 40 * k}`;
        return `<g class="${letter}tick"><text text-anchor="middle" x="0" y="${letter === 'x' ? 15 : 4}" transform="translate(${at})">${v}</text></g>`;
      })
      .join('') +
    '</g>';
  const bars = Array.from(
    { length: 2 + Math.floor(rnd() * 4) },
    (_, k) =>
      `<g class="point"><path d="M${60 + 50 * k},300V${200 - k}H${90 + 50 * k}V300Z"/></g>` +
      `<g class="textpoint"><text transform="translate(${75 + 50 * k},${190 - (k % 2)})">${pick(rnd, NUMBERS)}</text></g>`,
  ).join('');
  const legend =
    '<g class="legend" transform="translate(400,20)"><g class="traces" transform="translate(0,14.5)">' +
    `<text class="legendtext" x="40" y="4">${pick(rnd, ['trace 0', '2', 'asthma'])}</text></g></g>`;
  return `<g class="cartesianlayer">${axis('x')}${axis('y')}<g class="plot">${bars}</g></g>${rnd() < 0.7 ? legend : ''}`;
}

/** A small chart as matplotlib draws one (svg.fonttype none): nested ids, text at its own y. */
function matplotlibChart(rnd: () => number): string {
  const ticks = tickValues(rnd)
    .map(
      (v, k) =>
        `<g id="ytick_${k + 1}"><g id="line2d_${k + 1}"><use x="40" y="${300 - 40 * k}"/></g>` +
        `<g id="text_${k + 1}"><text x="30" y="${304 - 40 * k}" transform="rotate(-0, 30, ${304 - 40 * k})">${v}</text></g></g>`,
    )
    .join('');
  const shapes = Array.from(
    { length: 3 + Math.floor(rnd() * 5) },
    (_, k) => `<path d="M${k} 0L${k + 9} ${k * 3}" style="fill:none"/>`,
  ).join('');
  const label =
    rnd() < 0.6
      ? `<g id="text_l"><text x="200" y="${100 + Math.floor(rnd() * 3)}">${pick(rnd, NUMBERS)}</text></g>`
      : '';
  return `<g id="figure_1"><g id="axes_1">${shapes}<g id="matplotlib.axis_2">${ticks}</g>${label}</g></g>`;
}

/** Case `k` of the corpus (the same markup on every run). */
export function svgCase(k: number): SvgCase {
  const rnd = prng(1000 + k);
  if (k % 6 === 0)
    return {
      markup: `<svg xmlns="http://www.w3.org/2000/svg">${plotlyChart(rnd)}</svg>`,
      whole: true,
    };
  if (k % 6 === 3)
    return {
      markup: `<svg xmlns="http://www.w3.org/2000/svg">${matplotlibChart(rnd)}</svg>`,
      whole: true,
    };
  if (k % 17 === 5)
    return {
      markup: `<svg><path d="M0 0"/><g><rect/></g><text>   </text><title>\n</title></svg>`,
      whole: true,
    };
  const budget = { left: 6 + Math.floor(rnd() * 40) };
  const css = rnd() < 0.08 ? '<style>.t { transform : rotate(3deg) }</style>' : '';
  const inner = css + body(rnd, 0, budget);
  const r = rnd();
  if (r < 0.65)
    return { markup: `<svg xmlns="http://www.w3.org/2000/svg">${inner}</svg>`, whole: true };
  if (r < 0.75) return { markup: inner, whole: true };
  // HTML or Markdown around it: only <svg> content is read; raw text outside is skipped.
  const before = pick(rnd, [
    '<p>n = 3</p>',
    '<textarea><svg><text>2</text></svg></textarea>',
    '<script>var s = "<svg><text>4</text>";</script>',
    '<title>5</title>',
    '',
  ]);
  return { markup: `<div>${before}<svg width="9">${inner}</svg><p>7</p></div>`, whole: false };
}

/** How many cases the corpus has. */
export const CORPUS_SIZE = 120;
