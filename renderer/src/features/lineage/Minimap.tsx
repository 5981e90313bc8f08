/**
 * The lineage graph's overview: every node as a dot in its mesh's colour on a small canvas, the
 * part in view as a rectangle; a click there brings that part into view. Drawn on the canvas
 * (no second Cytoscape): the dots once per layout on a canvas of their own, then a bitmap and a
 * rectangle per pan.
 */
import type { Core } from 'cytoscape';
import { useEffect, useRef } from 'react';

const WIDTH = 200;
const HEIGHT = 140;

/** Where the graph's nodes lie (their centres, without labels: measuring 5,000 labels per pan is what made panning slow). */
function nodesBox(cy: Core): { x1: number; y1: number; w: number; h: number } {
  const box = cy.nodes().boundingBox({ includeLabels: false, includeOverlays: false });
  return { x1: box.x1, y1: box.y1, w: box.w, h: box.h };
}

export function Minimap({ cy, layouts }: { cy: Core; layouts: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<{ x1: number; y1: number; w: number; h: number } | null>(null);

  useEffect(() => {
    const target = canvas.current;
    const context = target?.getContext('2d');
    if (!target || !context) return;
    // The dots are drawn once per layout onto their own canvas; a pan redraws a bitmap and a rectangle.
    const dots = document.createElement('canvas');
    dots.width = WIDTH;
    dots.height = HEIGHT;
    const dotContext = dots.getContext('2d');
    const bounds = nodesBox(cy);
    box.current = bounds;
    const empty = cy.nodes().empty() || bounds.w === 0 || bounds.h === 0;
    const scale = empty ? 1 : Math.min(WIDTH / bounds.w, HEIGHT / bounds.h);
    const toMap = (x: number, y: number) => [(x - bounds.x1) * scale + (WIDTH - bounds.w * scale) / 2, (y - bounds.y1) * scale + (HEIGHT - bounds.h * scale) / 2] as const;
    if (dotContext && !empty) {
      for (const node of cy.nodes()) {
        const { x, y } = node.position();
        const [mx, my] = toMap(x, y);
        dotContext.fillStyle = node.data('colour') as string;
        dotContext.fillRect(mx - 1, my - 1, 2.5, 2.5);
      }
    }
    let frame = 0;
    const draw = () => {
      frame = 0;
      context.clearRect(0, 0, WIDTH, HEIGHT);
      if (empty) return;
      context.drawImage(dots, 0, 0);
      const view = cy.extent();
      const [vx, vy] = toMap(view.x1, view.y1);
      context.strokeStyle = '#ffffff';
      context.lineWidth = 1;
      context.strokeRect(vx, vy, view.w * scale, view.h * scale);
      target.dataset.scale = String(scale);
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(draw);
    };
    draw();
    cy.on('viewport resize', schedule);
    return () => {
      cy.off('viewport resize', schedule);
      cancelAnimationFrame(frame);
    };
  }, [cy, layouts]);

  const jump = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const bounds = box.current;
    if (!bounds || bounds.w === 0 || bounds.h === 0) return;
    const scale = Math.min(WIDTH / bounds.w, HEIGHT / bounds.h);
    const rect = event.currentTarget.getBoundingClientRect();
    const x = (event.clientX - rect.left - (WIDTH - bounds.w * scale) / 2) / scale + bounds.x1;
    const y = (event.clientY - rect.top - (HEIGHT - bounds.h * scale) / 2) / scale + bounds.y1;
    const zoom = cy.zoom();
    cy.pan({ x: cy.width() / 2 - x * zoom, y: cy.height() / 2 - y * zoom });
  };

  return <canvas ref={canvas} className="lineage-minimap" width={WIDTH} height={HEIGHT} onClick={jump} data-testid="lineage-minimap" aria-label="Overview of the whole graph; click to bring a part into view" />;
}
