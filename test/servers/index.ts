// The real-server test rig: `import { startServer, stopAll } from '<relative path>/test/servers'`.
export * from './certs';
export * from './servers';
