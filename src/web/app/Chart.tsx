import { useEffect, useRef } from 'react';

/**
 * A thin ECharts wrapper. ECharts (tree-shaken to bar/line/pie) loads on first use, in its own chunk, so the shell
 * stays small; the chart resizes with its container.
 */
type EChartsOption = import('echarts/core').EChartsCoreOption;

let loading: Promise<typeof import('echarts/core')> | null = null;
function loadECharts() {
  loading ??= import('./echarts-setup').then((m) => m.echarts);
  return loading;
}

export function Chart({ option, height = 300, label }: { option: EChartsOption; height?: number; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<import('echarts/core').ECharts | null>(null);
  // The latest option, for the chart created once ECharts has loaded.
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void loadECharts().then((echarts) => {
      if (disposed || !el.current) return;
      chart.current = echarts.init(el.current, undefined, { renderer: 'canvas' });
      chart.current.setOption({ aria: { enabled: true }, ...latest.current });
      observer = new ResizeObserver(() => chart.current?.resize());
      observer.observe(el.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...option }, true);
  }, [option]);
  return <div ref={el} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
