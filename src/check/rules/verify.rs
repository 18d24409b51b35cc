//! `invalid-verify`: `verify` blocks with bad YAML, a duplicate id, or an unknown
//! validator. The verify module reads the blocks; this rule only reports what it found.

use super::{Context, Rule};
use crate::diag::Diagnostic;

pub fn check(ctx: &Context) -> Vec<Diagnostic> {
    crate::verify::validate_workshop(ctx.rendered)
        .into_iter()
        .map(|mut d| {
            d.rule = Some(Rule::InvalidVerify.id().to_string());
            if d.line.is_some() && d.column.is_none() {
                d.column = Some(1);
            }
            d
        })
        .collect()
}
