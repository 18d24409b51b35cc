//! `verify:` in `workshop.yaml`: defaults for every check of the workshop.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use super::duration;
use crate::workshop::verify_block;

/// How long a check may run when neither the block nor `workshop.yaml` says.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// `verify:` in `workshop.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VerifyConfig {
    /// Default timeout of a check (`30s` when unset).
    #[serde(deserialize_with = "duration::check_timeout")]
    pub timeout: Option<Duration>,
    /// Extra environment variables for every validator.
    #[serde(deserialize_with = "env_map")]
    pub env: BTreeMap<String, String>,
}

fn env_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    use serde::de::Error;
    let raw = BTreeMap::<String, serde_yaml::Value>::deserialize(d)?;
    raw.into_iter()
        .map(|(k, v)| match v {
            serde_yaml::Value::Sequence(_)
            | serde_yaml::Value::Mapping(_)
            | serde_yaml::Value::Tagged(_) => Err(D::Error::custom(format!(
                "verify.env.{k} must be text, a number or true/false"
            ))),
            v => Ok((k, verify_block::show_value(&v))),
        })
        .collect()
}
