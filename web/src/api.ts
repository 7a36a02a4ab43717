/**
 * The agency API, as the console calls it, and its errors in words. Every call carries the session's bearer token;
 * a 401 ends the session.
 */
import { ruleOf } from './facts';
import { FIELD_LABELS, label, STATUS_LABELS } from './labels';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: string;
  status?: string;
  allowed?: string[];
  reason?: string;
  details?: { path?: string | null; message?: string }[];
}

/** What an error answer means, in words a clerk can act on. `kind` names the case kind, for action labels. */
export function errorInWords(status: number, body: ErrorBody, kind = 'ticket'): string {
  const actions = (list: string[] | undefined) => (list?.length ? list.map((a) => ruleOf(kind, a)?.label ?? a).join('、') : '没有可执行的操作');
  switch (status) {
    case 400:
      return `提交的内容有误：${(body.details ?? []).map((d) => `${label(FIELD_LABELS, d.path ?? '')}${d.path ? '：' : ''}${d.message ?? ''}`).join('；') || '请检查后重试'}`;
    case 401:
      return '登录已失效，请重新登录';
    case 403:
      return '无权进行此操作：它不属于您的单位、角色或管辖范围';
    case 404:
      return '未找到：该案件不存在，或不属于您的单位';
    case 409:
      if (body.error === 'invalid_transition')
        return `此操作已不适用：案件现在是「${label(STATUS_LABELS, body.status)}」，可能已有人处理过${body.reason ? `（${body.reason}）` : ''}。现在可以：${actions(body.allowed)}。`;
      return `有人刚刚处理了这个案件（现在是「${label(STATUS_LABELS, body.status)}」），请刷新后再试`;
    case 503:
      return '服务暂时不可用，请稍后重试（您的操作没有生效）';
    default:
      return `请求失败（${status}）`;
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, kind?: string): Promise<T>;
  /** A raw GET (a CSV download). */
  blob(path: string): Promise<Blob>;
}

export function makeApi(baseUrl: string, token: string, onUnauthorized: () => void): Api {
  const call = async (method: string, path: string, body: unknown, kind: string | undefined): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, {}, '无法连接服务，请检查网络后重试');
    }
    if (res.ok) return res;
    const errorBody = (await res.json().catch(() => ({}))) as ErrorBody;
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, errorBody as Record<string, unknown>, errorInWords(res.status, errorBody, kind));
  };
  return {
    get: async <T>(path: string) => (await (await call('GET', path, undefined, undefined)).json()) as T,
    post: async <T>(path: string, body?: unknown, kind?: string) => (await (await call('POST', path, body ?? {}, kind)).json()) as T,
    blob: async (path: string) => (await call('GET', path, undefined, undefined)).blob(),
  };
}
