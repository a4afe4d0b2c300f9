export { ConfigurationError, formatLocation, type ConfigLocation } from './configuration-error';
export type { ConfigWarning, DroppedSection } from './diagnostics';
export { loadConfiguration, type LoadConfigurationOptions, type LoadedConfiguration } from './load-configuration';
export { loadRuntimeSettings, loadRuntimeSettingsWith, type RuntimeSettings } from './runtime-settings';
export { type EnvironmentCredentials, loadEnvironmentCredentials } from './runtime-settings-credentials';
export type { WorkerSettings } from './runtime-settings-worker';
export type { RedisAddress, RedisSettings, RedisTlsSettings, RedisTopology } from './runtime-settings-redis';
export { describeTemplate, getTemplate, type TemplateDescription } from './templates';
export {
  type CloudTemplate,
  CloudTemplateSchema,
  type ClusterTemplate,
  ClusterTemplateSchema,
  type KindTemplate,
  KindTemplateSchema,
  type LoginTemplate,
  LoginTemplateSchema,
  type SetupTemplate,
  SetupTemplateSchema,
} from './template-schema';
