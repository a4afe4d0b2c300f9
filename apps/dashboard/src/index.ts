export * from './basic-auth';
export * from './dashboard-app';
export * from './dashboard-credentials';
export * from './dashboard-server';
export * from './job-presentation';
export * from './loopback-host';
export * from './startup-banner';
