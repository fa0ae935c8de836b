import { FtpsClient } from '../engine/client';
import type { ConnectClient } from './remote-client';

/** Opens an engine connection; the services see it through the `RemoteClient` shape. */
export const connectFtps: ConnectClient = (options) => FtpsClient.connect(options);
