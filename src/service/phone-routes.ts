/**
 * The patient's page (issue 16 item 3): the signed app mints a session for one stay, and the page's own endpoints
 * under /m/api answer for that stay only — the iptNo comes from the session, never from the page.
 */
import { z } from 'zod';
import { ServiceError } from './errors';
import type { PhoneSettlement } from './phone-settlement';
import type { PhoneSessions } from './phone-sessions';
import { route, type Route } from './routes';
import {
  GuidanceView,
  IptNoParams,
  LiveSettlementView,
  PhoneSessionView,
  RefundInput,
  RefundView,
  SettleInput,
  SettlementParams,
  SettlementView,
  SharesView,
  StayFeesView,
} from './schemas';

const NoParams = z.object({}).strict();
const NoBody = z.object({}).strict();

/** The page's stay: set by the server from the session for every 'phone-session' route. */
function stayOf(iptNo: string | null): string {
  if (iptNo === null) throw new ServiceError(401, 'SESSION_INVALID', '缺少页面会话');
  return iptNo;
}

export function phoneRoutes(p: PhoneSettlement, sessions: PhoneSessions): Route[] {
  /** A settlement of another stay is, to this page, one that does not exist. */
  const ownSettlement = async (iptNo: string, settlementId: string) => {
    const view = await p.result(settlementId);
    if (view.iptNo !== iptNo) throw new ServiceError(404, 'NOT_FOUND', '没有这笔结算');
    return view;
  };
  const page = { auth: 'phone-session' as const };
  return [
    route({
      method: 'POST',
      path: '/v1/phone-sessions',
      summary: '为患者手机页面签发一次住院的短期会话（页面地址 /m/#t=令牌）',
      requirements: ['HM-02', 'HM-06'],
      params: NoParams,
      body: IptNoParams,
      response: PhoneSessionView,
      status: 201,
      handle: async ({ appId, body }) => {
        await p.stayFees(body.iptNo); // a stay HIS does not know gets no session
        const { token, expiresAt } = sessions.mint(appId, body.iptNo);
        return { token, iptNo: body.iptNo, expiresAt: new Date(expiresAt).toISOString(), pageUrl: `/m/#t=${token}` };
      },
    }),
    route({
      ...page,
      method: 'GET',
      path: '/m/api/stay',
      summary: '患者页面：住院信息与待结算费用',
      requirements: ['HM-02'],
      params: NoParams,
      body: null,
      response: StayFeesView,
      status: 200,
      handle: ({ sessionIptNo }) => p.stayFees(stayOf(sessionIptNo)),
    }),
    route({
      ...page,
      method: 'POST',
      path: '/m/api/pre-settlement',
      summary: '患者页面：预结算',
      requirements: ['HM-05'],
      params: NoParams,
      body: NoBody,
      response: SharesView,
      status: 200,
      handle: ({ sessionIptNo }) => p.shares(stayOf(sessionIptNo)),
    }),
    route({
      ...page,
      method: 'POST',
      path: '/m/api/settlements',
      summary: '患者页面：一键出院结算',
      requirements: ['HM-06', 'HM-11'],
      params: NoParams,
      body: SettleInput,
      response: SettlementView,
      status: 201,
      handle: ({ appId, sessionIptNo, body }) => p.settle(appId, stayOf(sessionIptNo), body),
    }),
    route({
      ...page,
      method: 'GET',
      path: '/m/api/settlement',
      summary: '患者页面：该次住院进行中或已完成的结算（无则为空）',
      requirements: ['HM-09'],
      params: NoParams,
      body: null,
      response: LiveSettlementView,
      status: 200,
      handle: ({ sessionIptNo }) => p.liveSettlement(stayOf(sessionIptNo)),
    }),
    route({
      ...page,
      method: 'GET',
      path: '/m/api/settlements/{settlementId}',
      summary: '患者页面：结算结果',
      requirements: ['HM-09'],
      params: SettlementParams,
      body: null,
      response: SettlementView,
      status: 200,
      handle: ({ sessionIptNo, params }) => ownSettlement(stayOf(sessionIptNo), params.settlementId),
    }),
    route({
      ...page,
      method: 'POST',
      path: '/m/api/settlements/{settlementId}/refund-applications',
      summary: '患者页面：申请退费',
      requirements: ['HM-10'],
      params: SettlementParams,
      body: RefundInput,
      response: RefundView,
      status: 201,
      handle: async ({ sessionIptNo, params, body }) => {
        await ownSettlement(stayOf(sessionIptNo), params.settlementId);
        return p.applyRefund(params.settlementId, body.reason);
      },
    }),
    route({
      ...page,
      method: 'GET',
      path: '/m/api/discharge-guidance',
      summary: '患者页面：出院指引',
      requirements: ['HM-12'],
      params: NoParams,
      body: null,
      response: GuidanceView,
      status: 200,
      handle: ({ sessionIptNo }) => p.guidance(stayOf(sessionIptNo)),
    }),
  ];
}
