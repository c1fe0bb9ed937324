/** The simulated patient-message gateway (WeChat / Alipay template messages); records what it sent. */
export {
  startMessageGateway,
  type MessageGateway,
  type MessageGatewayControl,
  type MessageGatewayOptions,
  type SentMessage,
} from './server';
export { DEFAULT_TEMPLATES, MAX_VALUE_LENGTH, type TemplateDefinition } from './templates';
