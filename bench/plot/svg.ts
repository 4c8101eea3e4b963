// A line chart as a standalone SVG: one or more series over a logarithmic x axis (the curves'
// points grow by factors of ten), a linear y axis from zero, a legend. No dependency: the docs
// show the file as an image.

export interface Series {
  label: string;
  color: string;
  points: Array<[x: number, y: number]>;
}

export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 80, right: 20, top: 40, bottom: 50 };

export function renderChart(chart: Chart): string {
  const all = chart.series.flatMap((s) => s.points);
  const xs = all.map(([x]) => Math.log10(x));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const yMax = niceCeiling(Math.max(...all.map(([, y]) => y), 1));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + ((Math.log10(x) - xMin) / (xMax - xMin)) * plotW;
  const py = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(chart.title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    out.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${py(y) + 4}" text-anchor="end">${formatNumber(y)}</text>`,
    );
  }
  for (const x of new Set(all.map(([x]) => x))) {
    out.push(`<text x="${px(x)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${formatNumber(x)}</text>`);
  }
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, i) => {
    const sorted = [...series.points].sort((a, b) => a[0] - b[0]);
    const path = sorted.map(([x, y], j) => `${j === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
    out.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    for (const [x, y] of sorted) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${series.color}"/>`);
    const ly = MARGIN.top + 4 + i * 16;
    out.push(
      `<line x1="${MARGIN.left + 10}" x2="${MARGIN.left + 30}" y1="${ly}" y2="${ly}" stroke="${series.color}" stroke-width="2"/>`,
      `<text x="${MARGIN.left + 36}" y="${ly + 4}">${escapeXml(series.label)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** 1, 2 or 5 times a power of ten, at or above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function formatNumber(value: number): string {
  if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return String(+value.toFixed(1));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
