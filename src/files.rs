//! Writing files the way this kind of build needs.

use std::io::Write;
use std::path::Path;

/// How much one `write` call hands the kernel.
const CHUNK: usize = 1 << 20;

/// Creates (or truncates) `path` and writes `bytes` to it, a mebibyte per system call.
///
/// The same as [`std::fs::write`], which passes the whole buffer to one `write`, except
/// in cost: on the ext4 disk of the benchmark machine (Linux 6.18), one write of many
/// megabytes (the print page, the search index) took ten times the system time of the
/// same bytes in pieces: 140 ms against 14 ms for three 19 MB files. On tmpfs the two
/// cost the same.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    for chunk in bytes.chunks(CHUNK) {
        file.write_all(chunk)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_byte_of_large_and_empty_files() {
        let dir = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..CHUNK * 2 + 17).map(|i| (i % 251) as u8).collect();
        for (name, bytes) in [("big", &big[..]), ("empty", &[][..]), ("small", b"abc")] {
            let path = dir.path().join(name);
            std::fs::write(&path, b"previous, longer contents").unwrap();
            write(&path, bytes).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}");
        }
    }
}
