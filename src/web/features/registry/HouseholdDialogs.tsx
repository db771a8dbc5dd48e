import { CheckCircleOutlined } from '@ant-design/icons';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../../app/i18n';
import type { HouseholdDetail, PersonView } from './api';
import { type ConflictState, ConflictDialog } from './Conflict';
import { CorrectIdDialog } from './CorrectIdDialog';
import { DissolveDialog } from './DissolveDialog';
import { HouseholdDialog } from './HouseholdDialog';
import { ItemDialog } from './ItemDialog';
import type { ItemEdit } from './ItemCards';
import type { MemberAction } from './MemberActions';
import { MemberDialog } from './MemberDialog';
import { MoveDialog } from './MoveDialog';
import { CertDialog, LeaveDialog } from './PersonActions';

/** The dialog open on the household page (one at a time). */
export type OpenDialog =
  | { kind: 'household' | 'dissolve' | 'account' }
  | { kind: 'member'; person: PersonView | null }
  | { kind: Exclude<MemberAction, 'edit'>; person: PersonView }
  | ItemEdit;

/**
 * The household page's dialogs: the one open, and the conflict dialog a stale save opens. After a save the page says
 * so and reloads; a stale version is reloaded with a warning.
 */
export function HouseholdDialogs({
  household: h,
  open,
  conflict,
  onClosed,
  onConflict,
  onConflictClosed,
  onIdCorrected,
  reload,
}: {
  household: HouseholdDetail;
  open: OpenDialog | null;
  conflict: ConflictState | null;
  onClosed(): void;
  onConflict(c: ConflictState): void;
  onConflictClosed(): void;
  /** The person's ID number changed: a revealed full number is no longer theirs. */
  onIdCorrected(personId: number): void;
  reload(): Promise<unknown>;
}) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const nav = useNavigate();
  const afterSave = (saved: boolean) => {
    onClosed();
    if (saved) {
      message.success(t('已保存', 'Saved'));
      void reload();
    }
  };
  const afterSaveOrStale = (done: string) => (saved: unknown, stale?: boolean) => {
    onClosed();
    if (saved) message.success(done);
    if (stale)
      modal.warning({
        title: t('该记录已被他人修改', 'Someone else changed this record'),
        content: t('已重新加载最新数据，请核对后再操作。', 'The latest data was reloaded; check it and try again.'),
      });
    if (saved || stale) void reload();
  };

  return (
    <>
      {open?.kind === 'member' && (
        <MemberDialog householdId={h.id} person={open.person} onConflict={onConflict} onClose={afterSave} />
      )}
      {open?.kind === 'household' && <HouseholdDialog household={h} onConflict={onConflict} onClose={afterSave} />}
      {open?.kind === 'cert' && <CertDialog person={open.person} onClose={afterSave} />}
      {open?.kind === 'leave' && <LeaveDialog person={open.person} onClose={afterSaveOrStale(t('已迁出', 'Done'))} />}
      {open?.kind === 'move' && (
        <MoveDialog
          person={open.person}
          household={h}
          onConflict={onConflict}
          onClose={(target) => {
            const moved = open.person;
            onClosed();
            if (!target) return;
            void reload();
            modal.confirm({
              icon: <CheckCircleOutlined style={{ color: '#52c41a' }} />,
              title: t(
                `已将 ${moved.name} 迁入「${target.headName ?? target.id}」户`,
                `${moved.name} moved to the household of ${target.headName ?? target.id}`,
              ),
              content: `${target.regionPath} · ${target.address}`,
              okText: t('打开迁入的家庭', 'Open that household'),
              cancelText: t('留在本户', 'Stay here'),
              onOk: () => nav(`/registry/households/${target.id}`),
            });
          }}
        />
      )}
      {open?.kind === 'correct' && (
        <CorrectIdDialog
          person={open.person}
          onConflict={onConflict}
          onClose={(saved) => {
            onClosed();
            if (!saved) return;
            onIdCorrected(saved.id);
            message.success(
              t(`已更正身份证号码：${saved.idNumberMasked}`, `ID number corrected: ${saved.idNumberMasked}`),
            );
            void reload();
          }}
        />
      )}
      {open?.kind === 'dissolve' && (
        <DissolveDialog household={h} onClose={afterSaveOrStale(t('该户已注销', 'The household was dissolved'))} />
      )}
      {(open?.kind === 'income' || open?.kind === 'property' || open?.kind === 'account') && (
        <ItemDialog
          kind={open.kind}
          item={'item' in open ? open.item : undefined}
          household={h}
          onClose={afterSaveOrStale(t('已保存', 'Saved'))}
        />
      )}
      {conflict && (
        <ConflictDialog
          conflict={conflict}
          onClose={onConflictClosed}
          onReload={() => {
            onConflictClosed();
            void reload();
          }}
        />
      )}
    </>
  );
}
