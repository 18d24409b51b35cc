//! `--format json`: an array of results, written when every check has finished.

use std::io::{self, Write};
use std::time::Duration;

use super::Format;
use crate::verify::CheckResult;

pub struct Json;

impl Format for Json {
    fn finish(
        &mut self,
        out: &mut dyn Write,
        results: &[CheckResult],
        _elapsed: Duration,
    ) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, results).map_err(io::Error::other)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Status;

    #[test]
    fn writes_the_documented_keys_and_escapes_nothing_into_markup() {
        let r = CheckResult {
            id: "a".into(),
            chapter: "chapter-1".into(),
            title: "T".into(),
            status: Status::Fail,
            message: "<script>alert(1)</script>".into(),
            duration_ms: 12,
            details: None,
        };
        let mut out = Vec::new();
        Json.finish(&mut out, &[r], Duration::ZERO).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{
                "id": "a", "chapter": "chapter-1", "title": "T", "status": "fail",
                "message": "<script>alert(1)</script>", "duration_ms": 12
            }])
        );
    }
}
