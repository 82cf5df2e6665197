import { formatDuration } from '../hooks.js';

/** A Gantt-like line per step: when it started, how long it took and how many attempts, on one time axis. */
export function Timeline({ steps, now = Date.now() }) {
  const timed = steps.filter((s) => s.startedAt);
  if (!timed.length) return <p>No step has started yet.</p>;
  const start = Math.min(...timed.map((s) => Date.parse(s.startedAt)));
  const end = Math.max(...timed.map((s) => (s.finishedAt ? Date.parse(s.finishedAt) : now)), start + 1);
  const span = end - start;
  const labelWidth = 120;
  const chartWidth = 330;
  const rowHeight = 26;
  const height = steps.length * rowHeight + 24;
  return (
    <div class="timeline">
      <svg
        viewBox={`0 0 ${labelWidth + chartWidth + 220} ${height}`}
        width={labelWidth + chartWidth + 220}
        height={height}
        role="img"
        aria-label={`Step timeline over ${formatDuration(span)}`}
      >
        <text x={labelWidth} y="12" class="chart-axis">0</text>
        <text x={labelWidth + chartWidth} y="12" text-anchor="end" class="chart-axis">
          {formatDuration(span)}
        </text>
        {steps.map((step, i) => {
          const y = i * rowHeight + 20;
          const from = step.startedAt ? Date.parse(step.startedAt) : null;
          const to = step.finishedAt ? Date.parse(step.finishedAt) : from !== null ? now : null;
          const x = from === null ? 0 : ((from - start) / span) * chartWidth;
          const w = from === null ? 0 : Math.max(2, ((to - from) / span) * chartWidth);
          return (
            <g key={step.node} data-step={step.node}>
              <text x="4" y={y + 14} class="chart-label">
                {step.node}
              </text>
              {from !== null && (
                <rect x={labelWidth + x} y={y + 3} width={w} height="14" rx="2" class={`bar status-${step.status}`} />
              )}
              <text x={labelWidth + chartWidth + 8} y={y + 14} class="chart-figure">
                {figure(step, from, to)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function figure(step, from, to) {
  if (from === null) return step.status;
  const attempts = `${step.attempts} attempt${step.attempts === 1 ? '' : 's'}`;
  // A parked step has no end yet: say how long it has waited so far rather than a duration.
  if (!step.finishedAt) return `${step.status} ${formatDuration(to - from)} · ${attempts}`;
  return `${formatDuration(to - from)} · ${attempts}`;
}
