/**
 * The lineage graph's overview: every node as a dot in its mesh's colour on a small canvas, the
 * part in view as a rectangle; a click there brings that part into view. Drawn on the canvas
 * (no second Cytoscape), so it costs one pass over the nodes per layout and a rectangle per pan.
 */
import type { Core } from 'cytoscape';
import { useEffect, useRef } from 'react';

const WIDTH = 200;
const HEIGHT = 140;

export function Minimap({ cy, layouts }: { cy: Core; layouts: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const target = canvas.current;
    const context = target?.getContext('2d');
    if (!target || !context) return;
    let frame = 0;
    const draw = () => {
      frame = 0;
      const box = cy.elements().boundingBox();
      context.clearRect(0, 0, WIDTH, HEIGHT);
      if (cy.nodes().empty() || box.w === 0 || box.h === 0) return;
      const scale = Math.min(WIDTH / box.w, HEIGHT / box.h);
      const toMap = (x: number, y: number) => [(x - box.x1) * scale + (WIDTH - box.w * scale) / 2, (y - box.y1) * scale + (HEIGHT - box.h * scale) / 2] as const;
      for (const node of cy.nodes()) {
        const { x, y } = node.position();
        const [mx, my] = toMap(x, y);
        context.fillStyle = node.data('colour') as string;
        context.fillRect(mx - 1, my - 1, 2.5, 2.5);
      }
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
    const box = cy.elements().boundingBox();
    if (box.w === 0 || box.h === 0) return;
    const scale = Math.min(WIDTH / box.w, HEIGHT / box.h);
    const rect = event.currentTarget.getBoundingClientRect();
    const x = (event.clientX - rect.left - (WIDTH - box.w * scale) / 2) / scale + box.x1;
    const y = (event.clientY - rect.top - (HEIGHT - box.h * scale) / 2) / scale + box.y1;
    const zoom = cy.zoom();
    cy.pan({ x: cy.width() / 2 - x * zoom, y: cy.height() / 2 - y * zoom });
  };

  return <canvas ref={canvas} className="lineage-minimap" width={WIDTH} height={HEIGHT} onClick={jump} data-testid="lineage-minimap" aria-label="Overview of the whole graph; click to bring a part into view" />;
}
