import dagre from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';

const NODE_WIDTH = 150;
const NODE_HEIGHT = 46;

/**
 * A workflow's graph laid out by dagre (top to bottom), drawn as SVG: each node shows its id and type, each edge its
 * `when` condition. With `steps` (node id → step status) each node is filled by its status.
 */
export function Dag({ definition, steps }) {
  const layout = useMemo(() => lay(definition), [definition]);
  if (!layout) return <p>This definition has no nodes.</p>;
  const { width, height, nodes, edges } = layout;
  return (
    <figure class="dag">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-label={`Graph of ${nodes.length} nodes and ${edges.length} edges`}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" class="dag-arrow" />
          </marker>
        </defs>
        {edges.map((e) => (
          <g key={`${e.from}->${e.to}`} class="dag-edge" data-edge={`${e.from}->${e.to}`}>
            <title>{e.when ? `${e.from} → ${e.to} when ${e.when}` : `${e.from} → ${e.to}`}</title>
            <path d={pathOf(e.points)} marker-end="url(#arrow)" />
            {e.when && (
              <text x={e.x} y={e.y} text-anchor="middle" class="dag-when" data-when={e.when}>
                {shorten(e.when, 28)}
              </text>
            )}
          </g>
        ))}
        {nodes.map((n) => {
          const status = steps?.[n.id] || (steps ? 'pending' : undefined);
          return (
            <g
              key={n.id}
              class={`dag-node type-${n.type}${status ? ` status-${status}` : ''}`}
              data-node={n.id}
              data-status={status}
              transform={`translate(${n.x - NODE_WIDTH / 2},${n.y - NODE_HEIGHT / 2})`}
            >
              <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
              <text x={NODE_WIDTH / 2} y="19" text-anchor="middle" class="dag-id">
                {shorten(n.id, 18)}
              </text>
              <text x={NODE_WIDTH / 2} y="36" text-anchor="middle" class="dag-type">
                {n.type}
                {status ? ` · ${status}` : ''}
              </text>
              <title>{`${n.id} (${n.type})${status ? `: ${status}` : ''}`}</title>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function lay(definition) {
  const defNodes = definition?.nodes || [];
  if (!defNodes.length) return null;
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 60, edgesep: 20, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of defNodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT, type: node.type });
  for (const edge of definition.edges || []) {
    if (!g.hasNode(edge.from) || !g.hasNode(edge.to)) continue;
    // A labelled edge gets room for its condition, placed by dagre like a node.
    g.setEdge(edge.from, edge.to, edge.when ? { label: edge.when, width: 170, height: 18, labelpos: 'c' } : {});
  }
  dagre.layout(g);
  const graph = g.graph();
  return {
    width: Math.ceil(graph.width),
    height: Math.ceil(graph.height),
    nodes: g.nodes().map((id) => ({ id, ...g.node(id) })),
    edges: g.edges().map((e) => {
      const label = g.edge(e);
      return { from: e.v, to: e.w, when: label.label, points: label.points, x: label.x, y: label.y };
    }),
  };
}

const pathOf = (points) => points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
const shorten = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
