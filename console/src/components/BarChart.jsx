/** Horizontal bars of used against limit, one per quota, as SVG with the figures written out. */
export function UsageChart({ usage }) {
  const rows = Object.entries(usage).filter(([, v]) => v && typeof v === 'object' && 'limit' in v);
  const width = 580;
  const barWidth = 300;
  const rowHeight = 34;
  return (
    <svg
      class="usage-chart"
      viewBox={`0 0 ${width} ${rows.length * rowHeight + 8}`}
      width={width}
      height={rows.length * rowHeight + 8}
      role="img"
      aria-label="Usage against quotas"
    >
      {rows.map(([name, { used, limit }], i) => {
        const share = limit > 0 ? Math.min(1, used / limit) : used > 0 ? 1 : 0;
        const y = i * rowHeight + 6;
        return (
          <g key={name} data-quota={name}>
            <text x="8" y={y + 16} class="chart-label">
              {name}
            </text>
            <rect x="178" y={y + 2} width={barWidth} height="18" class="chart-track" rx="3" />
            <rect
              x="178"
              y={y + 2}
              width={Math.max(share * barWidth, used > 0 ? 2 : 0)}
              height="18"
              rx="3"
              class={share >= 0.9 ? 'chart-bar chart-high' : 'chart-bar'}
            />
            <text x={178 + barWidth + 8} y={y + 16} class="chart-figure">
              {used.toLocaleString()} / {limit.toLocaleString()}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
