//! One module per subcommand. Each builds a typed report and hands it to the printer; none prints
//! by itself.

pub mod ciba;
pub mod claims;
pub mod completions;
pub mod config;
pub mod decode_token;
pub mod discovery;
pub mod keys;
pub mod login;
pub mod sandbox;
pub mod validate;

use std::path::Path;

use crate::error::WithHint;
use crate::jose::keys::{PrivateKey, load_private_keys};
use crate::printer::Printer;

/// Reads private keys from a file, warning when the file is readable by others.
pub fn read_private_keys(path: &Path, printer: &Printer) -> anyhow::Result<Vec<PrivateKey>> {
    crate::trace::trace(format_args!(
        "reading private keys from `{}`",
        path.display()
    ));
    let bytes = crate::input::read_file_limited(path, crate::limits::MAX_KEY_FILE_BYTES)?;
    let shown = path.display().to_string();
    let keys = load_private_keys(&bytes, &shown).hint(
        format!("cannot use the keys in `{shown}`"),
        "--keys takes the partner's private keys: a JWK Set, a JWK, or a PEM (PKCS#1 or PKCS#8); `itsme-cli keys generate` makes a pair",
    )?;
    warn_if_readable_by_others(path, printer);
    judge_private_keys(&keys, &shown, printer)?;
    Ok(keys)
}

/// The key rules on private keys as they enter ([`crate::key_rules::private_key_weaknesses`]):
/// a refused key ends the command, a doubtful one and a published sample key are warned about
/// (the sample keys still decode the documentation's sample tokens).
fn judge_private_keys(keys: &[PrivateKey], shown: &str, printer: &Printer) -> anyhow::Result<()> {
    use crate::key_rules;
    for key in keys {
        for weakness in key_rules::private_key_weaknesses(key) {
            if weakness.refused() {
                return Err(crate::error::hinted(
                    format!(
                        "cannot use the keys in `{shown}`: key `{}` is refused: {}",
                        key.kid,
                        weakness.reason()
                    ),
                    "`itsme-cli keys generate` makes RSA keys of 2048 bits or more with e = 65537",
                ));
            }
            printer.warn(format_args!(
                "key `{}` in `{shown}`: {}",
                key.kid,
                weakness.reason()
            ));
        }
        if let Some(sample) = key_rules::published_sample(&key.thumbprint()) {
            printer.warn(format_args!(
                "key `{}` in `{shown}` {}; fine for decoding the documentation's samples, never for an integration",
                key.kid,
                key_rules::sample_reason(sample)
            ));
        }
    }
    Ok(())
}

/// Reads the private keys of every `--keys` file, in order.
pub fn read_all_private_keys(
    paths: &[std::path::PathBuf],
    printer: &Printer,
) -> anyhow::Result<Vec<PrivateKey>> {
    let mut keys = Vec::new();
    for path in paths {
        keys.extend(read_private_keys(path, printer)?);
    }
    Ok(keys)
}

/// The warning for a client secret typed on the command line (not from the environment).
pub fn warn_typed_secret(printer: &Printer) {
    printer.warn("a client secret on the command line lands in your shell history; prefer ITSME_CLIENT_SECRET");
}

/// Warns when a file holding private keys can be read by group or others.
#[cfg(unix)]
pub fn warn_if_readable_by_others(path: &Path, printer: &Printer) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        printer.warn(format_args!(
            "`{}` holds private keys and is readable by other users (mode {:o}); restrict it with `chmod 600 {}`",
            path.display(),
            meta.permissions().mode() & 0o777,
            path.display()
        ));
    }
}

/// Warns when a file holding private keys can be read by group or others.
#[cfg(not(unix))]
pub fn warn_if_readable_by_others(_path: &Path, _printer: &Printer) {}

/// Writes a file that holds secrets: mode 0600, never over an existing file unless `force`.
pub fn write_private_file(path: &Path, contents: &[u8], force: bool) -> anyhow::Result<()> {
    write_file(path, contents, force, 0o600)
}

/// Fails early (with the same message as [`write_file`]) when `path` could not be written later:
/// it exists and `force` is not given, or its folder does not exist.
pub fn check_writable(path: &Path, force: bool) -> anyhow::Result<()> {
    let shown = path.display();
    refuse_if_not_regular(path)?;
    if !force && path.exists() {
        return Err(already_exists(path));
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if folder.is_some_and(|f| !f.is_dir()) {
        return Err(crate::error::hinted(
            format!("the folder of `{shown}` does not exist"),
            "create it first, or choose another path",
        ));
    }
    Ok(())
}

/// Refuses to write to a path that exists and is not a regular file (after following symlinks),
/// `--force` or not: opening a FIFO to write blocks until someone reads it, and a device is not a
/// file to save into. The rule is `input::not_a_regular_file`, shared with every read.
/// A path that does not exist yet passes.
pub fn refuse_if_not_regular(path: &Path) -> anyhow::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) => refuse_file_type(path, meta.file_type()),
        Err(_) => Ok(()),
    }
}

fn refuse_file_type(path: &Path, file_type: std::fs::FileType) -> anyhow::Result<()> {
    match crate::input::not_a_regular_file(file_type) {
        None => Ok(()),
        Some(what) => Err(crate::error::hinted(
            format!(
                "`{}` is {what}, not a regular file; it is not written to, even with --force",
                path.display()
            ),
            "choose the path of a regular file, or a new one",
        )),
    }
}

/// The refusal to replace an existing file without `--force`.
fn already_exists(path: &Path) -> anyhow::Error {
    crate::error::hinted(
        format!("`{}` already exists", path.display()),
        "pass --force to overwrite it, or choose another path",
    )
}

/// Writes a file, refusing to replace an existing one unless `force`.
pub fn write_file(path: &Path, contents: &[u8], force: bool, mode: u32) -> anyhow::Result<()> {
    use std::io::Write;
    refuse_if_not_regular(path)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        // Non-blocking, so that a path swapped for a FIFO after the check above cannot block
        // the open; it changes nothing for a regular file. The opened file is checked again.
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode).custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let shown = path.display();
    let mut file = match options.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(already_exists(path));
        }
        other => other.hint(
            format!("could not create `{shown}`"),
            "check that the directory exists and is writable",
        )?,
    };
    let meta = file.metadata().hint(
        format!("could not create `{shown}`"),
        "check that the directory exists and is writable",
    )?;
    refuse_file_type(path, meta.file_type())?;
    #[cfg(unix)]
    {
        // The umask may have narrowed the mode, and a truncated file keeps its old one: set it.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .hint(
                format!("could not set the mode of `{shown}`"),
                "check the file's owner",
            )?;
    }
    file.write_all(contents).hint(
        format!("could not write `{shown}`"),
        "check the free disk space",
    )?;
    Ok(())
}
