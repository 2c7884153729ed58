//! How much the tool reads of anything it is given: one home for the size caps, so that every
//! path that reads a token or a key file refuses the same sizes. A leaf: `jose`, `input`, the
//! commands and the sandbox all read these.

/// The largest token accepted (1 MiB); larger input is refused before any parsing. `decode-token
/// --batch` caps each line at this size too.
pub const MAX_TOKEN_BYTES: usize = 1024 * 1024;

/// The largest key file or key set file read (a JWK Set of a few RSA keys is a few KiB).
pub const MAX_KEY_FILE_BYTES: u64 = 1024 * 1024;

/// The largest config file read (`itsme.toml`, the sandbox's `--config`): a few KiB in practice.
pub const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

/// The largest PEM bundle of CA certificates read (`validate --ca-file`); a whole system trust
/// store is under 1 MiB.
pub const MAX_CA_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The largest HAR file read (`decode-token --har`): a browser's export of a login with its pages,
/// scripts and images embedded is a few MiB; 64 MiB leaves room without reading without bound.
pub const MAX_HAR_BYTES: u64 = 64 * 1024 * 1024;
