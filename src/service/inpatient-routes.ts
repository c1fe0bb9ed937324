/** The inpatient phone's endpoints (issue 16): one row each, with the requirement it serves. */
import { z } from 'zod';
import { route, type Route } from './routes';
import type { PhoneSettlement } from './phone-settlement';
import {
  GuidanceView,
  IptNoParams,
  RefundInput,
  RefundView,
  SettleInput,
  SettlementParams,
  SettlementView,
  SharesView,
  StayFeesView,
  SubscribeInput,
  SubscriptionView,
} from './schemas';

const NoBody = z.object({}).strict();

export function inpatientRoutes(p: PhoneSettlement): Route[] {
  return [
    route({
      method: 'GET',
      path: '/v1/inpatient/stays/{iptNo}',
      summary: '住院信息与待结算费用',
      requirements: ['HM-02', 'HM-13'],
      params: IptNoParams,
      body: null,
      response: StayFeesView,
      status: 200,
      handle: ({ params }) => p.stayFees(params.iptNo),
    }),
    route({
      method: 'POST',
      path: '/v1/inpatient/stays/{iptNo}/pre-settlement',
      summary: '预结算：统筹、个人账户、个人自付',
      requirements: ['HM-05'],
      params: IptNoParams,
      body: NoBody,
      response: SharesView,
      status: 200,
      handle: ({ params }) => p.shares(params.iptNo),
    }),
    route({
      method: 'POST',
      path: '/v1/inpatient/stays/{iptNo}/settlements',
      summary: '一键出院结算（医保与自付一步完成）',
      requirements: ['HM-06', 'HM-11'],
      params: IptNoParams,
      body: SettleInput,
      response: SettlementView,
      status: 201,
      handle: ({ appId, params, body }) => p.settle(appId, params.iptNo, body),
    }),
    route({
      method: 'GET',
      path: '/v1/inpatient/settlements/{settlementId}',
      summary: '出院结算结果',
      requirements: ['HM-09'],
      params: SettlementParams,
      body: null,
      response: SettlementView,
      status: 200,
      handle: ({ params }) => p.result(params.settlementId),
    }),
    route({
      method: 'POST',
      path: '/v1/inpatient/settlements/{settlementId}/refund-applications',
      summary: '退费申请：医保部分冲销，自付部分原路退回',
      requirements: ['HM-10'],
      params: SettlementParams,
      body: RefundInput,
      response: RefundView,
      status: 201,
      handle: ({ params, body }) => p.applyRefund(params.settlementId, body.reason),
    }),
    route({
      method: 'GET',
      path: '/v1/inpatient/stays/{iptNo}/discharge-guidance',
      summary: '出院指引：出院带药、打印、离院流程',
      requirements: ['HM-12'],
      params: IptNoParams,
      body: null,
      response: GuidanceView,
      status: 200,
      handle: ({ params }) => p.guidance(params.iptNo),
    }),
    route({
      method: 'POST',
      path: '/v1/inpatient/stays/{iptNo}/subscriptions',
      summary: '订阅待结算、已结算消息（微信/支付宝模板消息）',
      requirements: ['HM-13', 'HM-14'],
      params: IptNoParams,
      body: SubscribeInput,
      response: SubscriptionView,
      status: 201,
      handle: ({ appId, params, body }) => p.subscribe(appId, params.iptNo, body),
    }),
  ];
}
