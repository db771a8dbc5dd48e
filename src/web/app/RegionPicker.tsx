import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { RegionNode } from '../api/types';
import { useT } from './i18n';

interface TreeNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
  disabled?: boolean;
}

const toNode = (r: RegionNode, selectable?: (r: RegionNode) => boolean): TreeNode => ({
  id: r.code,
  pId: r.parentCode,
  value: r.code,
  title: r.retired ? `${r.name}（已撤销）` : r.name,
  isLeaf: !r.hasChildren,
  disabled: selectable ? !selectable(r) : false,
});

/**
 * A region tree limited to the user's subtree: the root is the user's own node (GET /regions/children without a
 * parent), children load lazily when a node opens. `selectable` restricts which levels may be chosen (e.g. villages).
 */
export function RegionPicker(props: {
  value?: string;
  onChange?: (code: string | undefined) => void;
  selectable?: (r: RegionNode) => boolean;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
  'aria-label'?: string;
}) {
  const t = useT();
  const [nodes, setNodes] = useState<TreeNode[]>([]);
  const root = useQuery({
    queryKey: ['regions', 'root'],
    queryFn: () => api.get<{ items: RegionNode[] }>('/v1/regions/children'),
    staleTime: Infinity,
  });
  const { selectable } = props;
  useEffect(() => {
    if (root.data) setNodes((prev) => (prev.length ? prev : root.data.items.map((r) => toNode(r, selectable))));
  }, [root.data, selectable]);

  const loadData = useCallback(
    async (node: { id?: string; value?: string | number }) => {
      const code = String(node.value ?? node.id);
      const res = await api.get<{ items: RegionNode[] }>('/v1/regions/children', { query: { parent: code } });
      setNodes((prev) => {
        const have = new Set(prev.map((n) => n.id));
        return [...prev, ...res.items.filter((r) => !have.has(r.code)).map((r) => toNode(r, selectable))];
      });
    },
    [selectable],
  );

  return (
    <TreeSelect
      id={props.id}
      aria-label={props['aria-label']}
      treeDataSimpleMode
      treeData={nodes}
      loadData={loadData}
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      allowClear={props.allowClear ?? true}
      placeholder={props.placeholder ?? t('选择行政区划', 'Choose a region')}
      loading={root.isLoading}
      showSearch={false}
      style={{ minWidth: 220, ...props.style }}
      popupMatchSelectWidth={false}
      treeNodeLabelProp="title"
      labelInValue={false}
    />
  );
}
