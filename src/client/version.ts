// The version `wsus-client --version` prints: the package's own, so a staged client can be matched
// against the connector that staged it.
import pkg from '../../package.json' with { type: 'json' };

export const CLIENT_VERSION: string = pkg.version;
