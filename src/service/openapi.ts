/** /openapi.json: OpenAPI 3.1 generated from the route table and its zod schemas. */
import { z } from 'zod';
import { SIGNATURE_HEADERS } from './signing';
import { ErrorBody } from './schemas';
import type { Route } from './routes';

const jsonSchema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });

export function openApiDocument(routes: readonly Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = r.params instanceof z.ZodObject ? Object.keys(r.params.shape) : [];
    const op: Record<string, unknown> = {
      summary: r.summary,
      description: `需求：${r.requirements.join('、')}`,
      security: [r.auth === 'phone-session' ? { phoneSession: [] } : { signature: [] }],
      parameters: [
        ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...(r.method === 'POST'
          ? [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } }]
          : []),
      ],
      responses: {
        [String(r.status)]: { description: '成功', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } },
        default: { description: '错误（见 error.code）', content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } } },
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '医保结算服务 settlement service',
      version,
      description: `签名：HMAC-SM3(应用密钥, METHOD\\nPATH?QUERY\\nAPP_ID\\nTIMESTAMP\\nNONCE\\nSM3(BODY))，头部 ${Object.values(SIGNATURE_HEADERS).join('、')}；时间窗 ±5 分钟，随机串不可重复。`,
    },
    components: {
      securitySchemes: {
        signature: { type: 'apiKey', in: 'header', name: SIGNATURE_HEADERS.signature },
        phoneSession: {
          type: 'http',
          scheme: 'bearer',
          description: '患者页面会话令牌（POST /v1/phone-sessions 签发，仅限该次住院，30 分钟）',
        },
      },
    },
    paths,
  };
}
