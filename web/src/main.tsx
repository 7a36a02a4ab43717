/** The web console (工作台): sign in, then the views of the token's role and agency. */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { makeApi } from './api';
import { beginOidcSignIn, completeOidcSignIn, type ConsoleConfig, devSignIn, loadConfig, type Session, signOut, storedSession } from './auth';
import { agencyName, facts, isDispatchCenter, isProcuratorate, type Role } from './facts';
import { ROLE_LABELS } from './labels';
import './style.css';
import { ClustersView } from './views/clusters';
import { DispatchView } from './views/dispatch';
import { QueueView } from './views/queue';
import { RecommendationsView } from './views/recommendations';
import { ReportView } from './views/report';
import { ReviewView } from './views/review';

type Tab = { id: string; label: string };

/** The views a principal works in. */
export function tabsFor(s: Pick<Session, 'role' | 'agencyId'>): Tab[] {
  if (s.role === 'operator')
    return [
      { id: 'report', label: '联合月报' },
      { id: 'clusters', label: '类案' },
    ];
  if (s.role === 'dispatcher')
    return [
      { id: 'dispatch', label: '待分拨' },
      { id: 'review', label: '争议与合并' },
    ];
  if (isProcuratorate(s.agencyId))
    return [
      { id: 'queue', label: '线索' },
      { id: 'clusters', label: '类案' },
      { id: 'recommendations', label: '检察建议' },
      { id: 'report', label: '联合月报' },
    ];
  return [{ id: 'queue', label: '工单' }];
}

function DevLogin({ config, onSession }: { config: ConsoleConfig; onSession: (s: Session) => void }) {
  const [agencyId, setAgencyId] = useState('150300:dispatch-center');
  const [role, setRole] = useState<Role>('dispatcher');
  const [error, setError] = useState('');
  const agency = facts.agencies.find((a) => a.id === agencyId);
  const hint =
    role === 'dispatcher' && agency?.kind !== 'dispatch-center'
      ? '分拨员只处理分拨中心的工单，请选择一个「12345分拨中心」'
      : role === 'operator'
        ? '运营角色只读：可查看本单位管辖范围内的月报和类案'
        : '';
  return (
    <form
      class="card login"
      onSubmit={(e) => {
        e.preventDefault();
        devSignIn(config, agencyId, role).then(onSession, (err: Error) => setError(err.message));
      }}
    >
      <h2>开发登录（仅本地模式）</h2>
      <p class="muted">选择单位和角色，签发一个本地开发令牌。部署后由统一身份认证登录。</p>
      <label>
        单位
        <select name="agency" value={agencyId} onChange={(e) => setAgencyId(e.currentTarget.value)}>
          {facts.regions.map((r) => (
            <optgroup key={r.code} label={r.name}>
              {facts.agencies
                .filter((a) => a.regionCode === r.code)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label>
        角色
        <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {facts.roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r] ?? r}
            </option>
          ))}
        </select>
      </label>
      {hint && <p class="muted">{hint}</p>}
      <button type="submit">登录</button>
      {error && <p class="error">{error}</p>}
    </form>
  );
}

function Workbench({ config, session, onSignOut }: { config: ConsoleConfig; session: Session; onSignOut: () => void }) {
  const api = useMemo(() => makeApi(config.apiUrl, session.token, onSignOut), [config, session, onSignOut]);
  const tabs = tabsFor(session);
  const [tab, setTab] = useState(tabs[0]!.id);
  const props = { api, session, apiUrl: config.apiUrl };
  return (
    <div class="app">
      <header>
        <h1>府检联动工作台</h1>
        <nav>
          {tabs.map((t) => (
            <button type="button" key={t.id} class={t.id === tab ? 'tab active' : 'tab'} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </nav>
        <div class="who">
          <span data-testid="who">
            {agencyName(session.agencyId)} · {ROLE_LABELS[session.role] ?? session.role}
          </span>
          <button type="button" class="link" onClick={onSignOut}>
            退出登录
          </button>
        </div>
      </header>
      <main>
        {tab === 'queue' && <QueueView {...props} />}
        {tab === 'dispatch' && <DispatchView {...props} />}
        {tab === 'review' && <ReviewView {...props} />}
        {tab === 'clusters' && <ClustersView {...props} />}
        {tab === 'recommendations' && <RecommendationsView {...props} />}
        {tab === 'report' && <ReportView {...props} />}
      </main>
    </div>
  );
}

function App() {
  const [config, setConfig] = useState<ConsoleConfig>();
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [error, setError] = useState('');
  useEffect(() => {
    loadConfig()
      .then(async (c) => {
        setConfig(c);
        const s = await completeOidcSignIn(c);
        if (s) setSession(s);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  const out = useMemo(
    () => () => {
      signOut();
      setSession(undefined);
    },
    [],
  );
  if (error) return <p class="error page">{error}</p>;
  if (!config) return <p class="muted page">正在加载…</p>;
  if (session && !isDispatchCenter(session.agencyId) && session.role === 'dispatcher')
    return (
      <p class="error page">
        分拨员账号应属于分拨中心。
        <button type="button" class="link" onClick={out}>
          重新登录
        </button>
      </p>
    );
  if (session) return <Workbench config={config} session={session} onSignOut={out} />;
  return (
    <div class="page">
      <h1>府检联动工作台</h1>
      {config.auth.mode === 'dev' ? (
        <DevLogin config={config} onSession={setSession} />
      ) : (
        <div class="card login">
          <p>请使用统一身份认证登录。</p>
          <button type="button" onClick={() => beginOidcSignIn(config).catch((e: Error) => setError(e.message))}>
            登录
          </button>
        </div>
      )}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
