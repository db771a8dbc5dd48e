import { Result, Spin } from 'antd';
import { Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import ChangePasswordPage from '../features/auth/ChangePasswordPage';
import LoginPage from '../features/auth/LoginPage';
import { lostSessionReason, useAuth } from './auth';
import { AppLayout } from './AppLayout';
import { useT } from './i18n';
import { type AppModule, modules } from './modules';

export function PageSpinner() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

function RequireSession({ children }: { children: React.ReactNode }) {
  const { me, loading } = useAuth();
  const loc = useLocation();
  if (loading) return <PageSpinner />;
  if (!me) {
    const reason = lostSessionReason();
    return (
      <Navigate
        to={`/login?${reason ? `reason=${reason}&` : ''}next=${encodeURIComponent(loc.pathname + loc.search)}`}
        replace
      />
    );
  }
  if (me.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

function Forbidden() {
  const t = useT();
  return <Result status="403" title="403" subTitle={t('您的角色无权打开此页面', 'Your role may not open this page')} />;
}

export function NotFoundPage() {
  const t = useT();
  return <Result status="404" title="404" subTitle={t('页面不存在', 'No such page')} />;
}

function ModuleScreen({ module, allowed }: { module: AppModule; allowed: boolean }) {
  if (!allowed) return <Forbidden />;
  const C = module.component;
  return (
    <Suspense fallback={<PageSpinner />}>
      <C />
    </Suspense>
  );
}

export function AppRoutes() {
  const { can } = useAuth();
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/change-password" element={<ChangePasswordPage />} />
      <Route
        path="/"
        element={
          <RequireSession>
            <AppLayout />
          </RequireSession>
        }
      >
        {modules.map((m) => {
          const element = <ModuleScreen key={m.path} module={m} allowed={can(m.permission)} />;
          return m.path === '' ? (
            <Route key="index" index element={element} />
          ) : (
            <Route key={m.path} path={m.path} element={element} />
          );
        })}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
